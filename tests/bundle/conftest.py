"""One home, two keys and one signed bundle of a case with a protected witness, made once for
the module; tests tamper with copies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bundle_helpers import CASE_NAME, PASSPHRASE, SLUG, Made, write_case

from enquiry.app import Enquiry, bundles, cases, keys, publishing


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        root = tmp_path_factory.mktemp("made")
        casefile = write_case(root / "case")
        app = Enquiry.at(root / "home", "panel-secretary")
        cases.load(app, casefile)
        keys.create(app, "panel", PASSPHRASE)
        keys.create(app, "other", PASSPHRASE)
        keys.export_public(app, "panel", root / "panel.pub.json")
        keys.export_public(app, "other", root / "other.pub.json")
        exported = bundles.export_bundle(
            app, root / "signed.zip", case=CASE_NAME, sign="panel", passphrase=PASSPHRASE
        )
        yield Made(
            root,
            app.home,
            casefile,
            root / "signed.zip",
            root / "panel.pub.json",
            root / "other.pub.json",
            exported,
            publishing.analyse(app, SLUG),
        )
