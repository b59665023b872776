"""The architecture holds: imports point down the layers, and the ledger vouches for every table.

docs/architecture.md describes the same rules in prose; the tables below are the ones it shows.
Imports are read with ``ast`` from every ``.py`` under ``src/enquiry`` — at module level and
inside functions alike, and ``import_module("enquiry.…")`` calls with a literal name, since a
deferred import is a dependency all the same. Imports under ``if TYPE_CHECKING:`` count too:
naming a higher layer's type still makes the lower layer depend on it (a type two layers share
belongs in the lower one, or behind a Protocol there, as ``enquiry.progress`` does for progress
bars).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, inspect

SOURCE = Path(__file__).resolve().parents[1] / "src"

# Lowest first. The kernel (the root package's version, domain errors, the progress protocol) may
# be imported by every layer and imports nothing of enquiry outside the kernel.
KERNEL = ("enquiry", "enquiry.cluster", "enquiry.errors", "enquiry.progress")
LAYERS: dict[str, int] = {
    **{name: 0 for name in KERNEL},
    "enquiry.model": 1,
    "enquiry.store": 2,
    "enquiry.intake": 3,
    "enquiry.enrich": 4,
    "enquiry.analysis": 5,
    "enquiry.publish": 6,
    "enquiry.app": 7,
    "enquiry.web": 8,
    "enquiry.cli": 9,
}
ADAPTERS = ("enquiry.cli", "enquiry.web")

# Analysis is pure: data in, result out. It sees the domain and the kernel, never storage.
ANALYSIS_MAY_IMPORT = ("enquiry.analysis", "enquiry.model", *KERNEL)
DATABASE_LIBRARIES = ("sqlalchemy", "alembic", "psycopg", "sqlite3")

# Policy (acting user, access, protection, custody events) lives in enquiry.app, so an adapter
# reaches data only through it.
ADAPTERS_MAY_NOT_IMPORT = ("enquiry.store", "enquiry.intake")

# Progress is a callback (enquiry.progress); only an adapter draws a bar or talks to a terminal.
ADAPTER_LIBRARIES = ("click", "tqdm")

# Enrichers read stored originals; they never take new evidence in.
INTAKE_DRIVERS = ("enquiry.intake.pipeline", "enquiry.intake.casefile")


@dataclass(frozen=True)
class Import:
    """One import statement's target, and where it was written."""

    module: str
    path: Path
    line: int
    target: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.module} imports {self.target}"


def module_name(root: Path, path: Path) -> str:
    """The dotted name of a source file under ``root`` (a package is named by its folder)."""
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    # A package's own __init__ is its level-1 anchor; a plain module's anchor is its parent.
    drop = node.level - 1 if is_package else node.level
    anchor = base[: len(base) - drop]
    return ".".join([*anchor, *([node.module] if node.module else [])])


def modules(root: Path, package: str = "enquiry") -> list[str]:
    """Every module and package of ``package`` under ``root`` (folders without __init__ too)."""
    names = {module_name(root, path) for path in (root / package).rglob("*.py")}
    return sorted(names | {name.rsplit(".", 1)[0] for name in names if "." in name})


def _imported_by_name(node: ast.AST) -> str | None:
    """The module an ``import_module("a.b")`` call names literally (a lazy import is still one)."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    first = node.args[0]
    if called == "import_module" and isinstance(first, ast.Constant):
        return first.value if isinstance(first.value, str) else None
    return None


def imports(root: Path, package: str = "enquiry") -> Iterator[Import]:
    """Every import in every module of ``package`` under ``root``, as the module it reaches.

    ``from a import b`` reaches ``a.b`` when that is a module of the tree, else ``a``;
    ``from __future__`` is not a dependency.
    """
    files = sorted((root / package).rglob("*.py"))
    known = set(modules(root, package))
    for path in files:
        module = module_name(root, path)
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found: set[Import] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found.add(Import(module, path, node.lineno, alias.name))
            elif isinstance(node, ast.ImportFrom):
                origin = _resolve(module, is_package, node)
                if origin == "__future__":
                    continue
                for alias in node.names:
                    whole = f"{origin}.{alias.name}"
                    target = whole if whole in known else origin
                    found.add(Import(module, path, node.lineno, target))
            elif (name := _imported_by_name(node)) is not None:
                found.add(Import(module, path, node.lineno, name))
        yield from sorted(found, key=lambda i: (i.line, i.target))


def within(name: str, packages: Iterable[str]) -> bool:
    """Whether ``name`` is one of ``packages`` or inside one of them."""
    return any(name == p or name.startswith(p + ".") for p in packages)


def layer_of(name: str) -> str | None:
    """The layer a module of enquiry belongs to (the longest package in LAYERS containing it).

    The root package is kernel only for itself: a new ``enquiry.something`` has no layer until
    one is chosen for it.
    """
    found = [
        layer for layer in LAYERS if name == layer or (layer != "enquiry" and within(name, [layer]))
    ]
    return max(found, key=len) if found else None


def unplaced(names: Iterable[str]) -> list[str]:
    """Modules of enquiry that belong to no layer (nothing could say where they may reach)."""
    return sorted(name for name in names if layer_of(name) is None)


def upward(found: Iterable[Import]) -> list[Import]:
    """Imports that reach a higher layer, or a sibling package of the same rank (cli <-> web)."""
    bad = []
    for i in found:
        source, target = layer_of(i.module), layer_of(i.target)
        if source is None or target is None or source == target:
            continue
        rank, reached = LAYERS[source], LAYERS[target]
        if reached > rank or (reached == rank and rank != 0):
            bad.append(i)
    return bad


def impure_analysis(found: Iterable[Import]) -> list[Import]:
    """Imports by analysis of anything of enquiry but model and the kernel, or of a database."""
    return [
        i
        for i in found
        if within(i.module, ["enquiry.analysis"])
        and (
            (within(i.target, ["enquiry"]) and layer_of(i.target) not in ANALYSIS_MAY_IMPORT)
            or within(i.target, DATABASE_LIBRARIES)
        )
    ]


def adapter_bypasses(found: Iterable[Import]) -> list[Import]:
    """Imports by an adapter of storage or intake, which only the application core may drive."""
    return [
        i for i in found if within(i.module, ADAPTERS) and within(i.target, ADAPTERS_MAY_NOT_IMPORT)
    ]


def core_terminal_libraries(found: Iterable[Import]) -> list[Import]:
    """Imports of a command-line or progress-bar library outside the adapters."""
    return [
        i for i in found if not within(i.module, ADAPTERS) and within(i.target, ADAPTER_LIBRARIES)
    ]


def enrichers_driving_intake(found: Iterable[Import]) -> list[Import]:
    """Imports by enrich of intake's pipeline or case-file loader (what takes evidence in)."""
    return [
        i
        for i in found
        if within(i.module, ["enquiry.enrich"]) and within(i.target, INTAKE_DRIVERS)
    ]


def _show(bad: Iterable[Import]) -> str:
    return "\n".join(str(i) for i in bad)


@pytest.fixture(scope="module")
def source_imports() -> list[Import]:
    found = list(imports(SOURCE))
    assert found, f"no imports found under {SOURCE / 'enquiry'}"
    return found


def test_every_module_belongs_to_a_layer() -> None:
    lost = unplaced(modules(SOURCE))
    assert not lost, "place these in LAYERS here and in docs/architecture.md: " + ", ".join(lost)


def test_no_layer_imports_a_higher_one(source_imports: list[Import]) -> None:
    bad = upward(source_imports)
    assert not bad, "imports reaching up the layers:\n" + _show(bad)


def test_analysis_is_pure(source_imports: list[Import]) -> None:
    bad = impure_analysis(source_imports)
    assert not bad, "analysis must import only model and the kernel:\n" + _show(bad)


def test_adapters_reach_data_only_through_app(source_imports: list[Import]) -> None:
    bad = adapter_bypasses(source_imports)
    assert not bad, "adapters must go through enquiry.app:\n" + _show(bad)


def test_progress_bars_only_in_adapters(source_imports: list[Import]) -> None:
    bad = core_terminal_libraries(source_imports)
    assert not bad, "only cli/web may use click or tqdm (report through a Progress):\n" + _show(bad)


def test_enrichers_do_not_drive_intake(source_imports: list[Import]) -> None:
    bad = enrichers_driving_intake(source_imports)
    assert not bad, "enrichers must not take evidence in:\n" + _show(bad)


def _tree(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_import_rules_catch_violations(tmp_path: Path) -> None:
    """Each rule above reports a planted violation, wherever the import is written."""
    root = _tree(
        tmp_path,
        {
            "enquiry/__init__.py": "",
            "enquiry/errors.py": "from __future__ import annotations\n",
            "enquiry/model/__init__.py": "from . import kinds\n",
            "enquiry/model/kinds.py": "from ..errors import *\n",
            "enquiry/store/__init__.py": "def later():\n    from enquiry.app import services\n",
            "enquiry/store/vault.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from ..publish import report\n",
            "enquiry/analysis/engine.py": "import sqlalchemy.orm\nfrom enquiry.store import vault\n"
            "from enquiry.model import kinds\n",
            "enquiry/enrich/claims.py": "from enquiry.intake.pipeline import add_paths\n",
            "enquiry/intake/pipeline.py": "from tqdm import tqdm\n"
            "import importlib\nimportlib.import_module('enquiry.enrich.claims')\n",
            "enquiry/publish/report.py": "",
            "enquiry/app/services.py": "from enquiry import publish\n",
            "enquiry/cli/__init__.py": "import click\nfrom enquiry.web import pages\n"
            "from enquiry.store import vault\n",
            "enquiry/web/pages.py": "from enquiry.app import services\nfrom enquiry.cli import main\n",
            "enquiry/extra.py": "",
        },
    )
    found = list(imports(root))
    where = {(i.module, i.target) for i in found}
    assert ("enquiry.model", "enquiry.model.kinds") in where
    assert ("enquiry.model.kinds", "enquiry.errors") in where
    assert not any(i.target == "__future__" for i in found)

    assert unplaced(modules(root)) == ["enquiry.extra"]
    assert {(i.module, i.target, i.line) for i in upward(found)} == {
        ("enquiry.store", "enquiry.app.services", 2),
        ("enquiry.store.vault", "enquiry.publish.report", 3),
        ("enquiry.web.pages", "enquiry.cli", 2),
        ("enquiry.intake.pipeline", "enquiry.enrich.claims", 3),
    }
    assert {(i.module, i.target) for i in impure_analysis(found)} == {
        ("enquiry.analysis.engine", "sqlalchemy.orm"),
        ("enquiry.analysis.engine", "enquiry.store.vault"),
    }
    assert {(i.module, i.target) for i in adapter_bypasses(found)} == {
        ("enquiry.cli", "enquiry.store.vault")
    }
    assert {(i.module, i.target) for i in core_terminal_libraries(found)} == {
        ("enquiry.intake.pipeline", "tqdm")
    }
    assert {(i.module, i.target) for i in enrichers_driving_intake(found)} == {
        ("enquiry.enrich.claims", "enquiry.intake.pipeline")
    }


# --- the ledger watches every catalogue table -------------------------------------------------

# Used until enquiry.store.rows declares its own list (EXEMPT or UNWATCHED); then that one rules.
EXEMPT_HERE = {
    "custody_events": "the ledger itself: each event is hash-chained to the one before",
    "ledger_head": "the chain's newest number and hash, checked against ledger.head in the home",
    "items": "each item's whole state is digested into its ledger events (ledger.state_digest)",
}
# Alembic's own bookkeeping: not in the metadata, only in a migrated database.
MIGRATION_TABLES = frozenset({"alembic_version"})


def exempt_tables() -> dict[str, str]:
    """Tables the row watcher deliberately leaves alone, with why (rows.py's list if it has one)."""
    from enquiry.store import rows

    for name in ("EXEMPT", "UNWATCHED"):
        if hasattr(rows, name):
            declared = getattr(rows, name)
            if isinstance(declared, Mapping):
                return {str(table): str(reason) for table, reason in declared.items()}
            # A plain list of names: its reasons are comments beside it in rows.py.
            return {str(table): f"declared in enquiry.store.rows.{name}" for table in declared}
    return dict(EXEMPT_HERE)


def unaccounted(tables: Iterable[str], watched: Iterable[str], exempt: Iterable[str]) -> list[str]:
    """Tables neither watched by the ledger nor exempt from it."""
    return sorted(set(tables) - set(watched) - set(exempt) - MIGRATION_TABLES)


def test_every_catalogue_table_is_watched_or_exempt() -> None:
    from enquiry.store.rows import WATCHED
    from enquiry.store.tables import Base

    missing = unaccounted(Base.metadata.tables, WATCHED, exempt_tables())
    assert not missing, (
        f"tables the ledger does not vouch for: {', '.join(missing)} — add each to WATCHED in "
        "enquiry/store/rows.py, or to its exempt list with the reason"
    )


def test_watch_and_exempt_lists_are_sound() -> None:
    from enquiry.store.rows import WATCHED
    from enquiry.store.tables import Base

    exempt = exempt_tables()
    assert all(reason.strip() for reason in exempt.values()), (
        f"an exemption without a reason: {exempt}"
    )
    assert not set(WATCHED) & set(exempt), "a table both watched and exempt"
    assert len(set(WATCHED)) == len(WATCHED), "a table watched twice"
    tables = set(Base.metadata.tables) | MIGRATION_TABLES
    assert set(WATCHED) <= tables, f"watched but no such table: {set(WATCHED) - tables}"


def test_every_migrated_table_is_watched_or_exempt(backend: str, home: Path) -> None:
    """A table a migration creates without a model class is covered (or refused) all the same."""
    from enquiry.store import open_store
    from enquiry.store.rows import WATCHED

    store = open_store(home, "architecture-test")
    try:
        created = inspect(store.engine).get_table_names()
        if backend == "sqlite":
            # A virtual table's shadow tables are its own storage, covered by its entry.
            with store.engine.connect() as connection:
                shadows = {
                    str(row[1])
                    for row in connection.exec_driver_sql("PRAGMA table_list")
                    if row[2] == "shadow"
                }
            created = [name for name in created if name not in shadows]
    finally:
        store.engine.dispose()
    assert "items" in created and "custody_events" in created
    missing = unaccounted(created, WATCHED, exempt_tables())
    assert not missing, (
        f"tables in a migrated {backend} catalogue the ledger does not vouch for: "
        f"{', '.join(missing)} — add each to WATCHED or to the exempt list in "
        "enquiry/store/rows.py"
    )
    stale = set(exempt_tables()) - set(created)
    assert not stale, f"exempt but no such table: {', '.join(sorted(stale))}"


def test_the_table_rule_catches_an_unwatched_table() -> None:
    from enquiry.store.rows import WATCHED
    from enquiry.store.tables import Base

    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("notes", metadata, Column("id", Integer, primary_key=True))
    assert unaccounted(metadata.tables, WATCHED, exempt_tables()) == ["notes"]
    modelled = [name for name in exempt_tables() if name in metadata.tables]
    assert unaccounted(metadata.tables, WATCHED, {}) == sorted(["notes", *modelled])
