"""The API against its own OpenAPI description: schemathesis generates requests for every
operation (valid and malformed) and no answer may be a server error."""

from __future__ import annotations

import pytest
import schemathesis
from api_world import World
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.slow

EXAMPLES = 25  # per operation: well under a minute for the whole API on two cores


def test_no_server_errors(sqlite_world: World) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", sqlite_world.client.app)
    headers = sqlite_world.headers("owner")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13
    seen: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            where = f"{case.method} {case.formatted_path}"
            assert response.status_code < 500, f"{where}: {response.status_code} {response.text}"
            if response.status_code >= 400:
                kind = response.headers.get("content-type", [""])[0]
                assert kind.startswith("application/problem+json"), where

        check()
        seen.append(operation.label)
    assert any("/items/{item}/original" in label for label in seen)
