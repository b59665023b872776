"""Storage: the catalogue database, the vault of originals and the custody ledger."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.orm import Session

from enquiry.errors import CatalogueError
from enquiry.store.db import HOME_FILE, SCRUB_PENDING, SQLITE_FILE, empty_wal, open_catalogue
from enquiry.store.ledger import (
    GENESIS,
    Head,
    LedgerWriter,
    head_file,
    utc_now,
    write_head_file,
)
from enquiry.store.tables import Case, Item, ItemKey, LedgerHead
from enquiry.store.vault import Vault

DEFAULT_HOME = Path("enquiry-data")


def resolve_home(home: str | os.PathLike[str] | None) -> Path:
    """The home folder: the argument, else ``ENQUIRY_HOME``, else ``./enquiry-data``."""
    chosen = home or os.environ.get("ENQUIRY_HOME") or DEFAULT_HOME
    return Path(chosen).expanduser().absolute()


@dataclass
class Store:
    """One home: its database, its vault and the actor on whose behalf it is used."""

    home: Path
    engine: Engine
    vault: Vault
    actor: str
    # How the actor was established (an API token, a web session, the command line's word):
    # written into every ledger event beside the name (see LedgerWriter).
    via: str = ""
    # Plain blobs of items just encrypted, removed only once the transaction that encrypted
    # them has committed, so a rollback never loses an original.
    plain_to_remove: set[str] = field(default_factory=set)
    # Blobs written for the transaction under way that only its rows would name (a protected
    # file's ciphertext under a fresh data key, a plaintext put back for an unprotection):
    # removed if it rolls back, so a failure leaves neither an orphan nor a plaintext behind.
    made_for_transaction: set[str] = field(default_factory=set)

    def acting(self, actor: str, via: str = "") -> Store:
        """The same database and vault, writing the ledger under another name, established
        ``via`` (a server keeps one store and gives each request a view of it named for the
        user acting and how they proved it)."""
        return replace(
            self, actor=actor, via=via, plain_to_remove=set(), made_for_transaction=set()
        )

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def writing(self) -> Iterator[tuple[Connection, LedgerWriter]]:
        """A transaction with a ledger writer; commits, then records the head outside the DB."""
        try:
            with self.engine.connect() as connection:
                connection.info["immediate"] = True
                with connection.begin():
                    writer = LedgerWriter(connection, self.actor, self.via)
                    try:
                        yield connection, writer
                        head = writer.flush()
                    finally:
                        writer.watcher.stop()
        except BaseException:
            meant = self.plain_to_remove | self.made_for_transaction
            self.plain_to_remove.clear()
            self.made_for_transaction.clear()
            self._discard_unreferenced(meant)
            raise
        self.made_for_transaction.clear()
        self._note_head(head)
        self.remove_plain()

    def _discard_unreferenced(self, addresses: set[str]) -> None:
        """After a rollback, the blobs the transaction meant to remove, and those it wrote for
        rows that were never committed, go unless something committed needs them: above all a
        protected file's plaintext, stored before its item was encrypted (the first protected
        file of a case, a case file's) or put back by an unprotection, which a failure would
        otherwise leave in the vault in the clear, and the ciphertexts made under data keys
        that the rollback destroyed (nobody could ever open them). A blob an unencrypted item
        still needs — the original of an item whose protection was just rolled back — stays;
        so does everything, when the catalogue cannot be asked (``verify`` then reports the
        orphans)."""
        self.discard_unneeded(addresses)

    def remove_plain(self) -> None:
        """Remove the plain blobs of items encrypted by a committed transaction (and the
        ciphertexts it no longer uses), unless a row committed since needs them."""
        meant, self.plain_to_remove = set(self.plain_to_remove), set()
        self.discard_unneeded(meant)

    @contextmanager
    def writers_lock(self) -> Iterator[Connection]:
        """A transaction that holds the lock every ledger writer takes (SQLite's write lock,
        PostgreSQL's lock on the ledger's head row) and writes nothing: while it is open, no
        other writer can commit, nor be part way through a commit."""
        with self.engine.connect() as connection:
            connection.info["immediate"] = True
            transaction = connection.begin()
            try:
                connection.execute(
                    update(LedgerHead).where(LedgerHead.id == 1).values(seq=LedgerHead.seq)
                )
                yield connection
            finally:
                transaction.rollback()

    def discard_unneeded(
        self, addresses: Iterable[str], *, locked: Connection | None = None
    ) -> None:
        """Remove these blobs from the vault unless a committed row needs them: an unencrypted
        item that names the address as its original, or an item key that names it as its
        ciphertext.

        Blobs are content-addressed and shared: an intake of the very same bytes, in another
        process, may already have found the blob in the vault (so stored nothing) and not yet
        committed the rows that name it. So the check and the removal are done under the lock
        every writer takes, and an intake checks, under that same lock, that the blobs its
        rows name are still there before it commits (storing again any that went). Either the
        intake committed first, and its rows keep the blob here, or it commits after, and puts
        back what it needs. When the catalogue cannot be asked, everything stays (keeping a
        blob is always safe; ``verify`` reports a plain copy or an orphan left so).

        ``locked`` is a transaction of the caller's that already holds that lock (taking it
        again from another connection would wait for ever): it is asked instead."""
        wanted = sorted(set(addresses))
        if not wanted:
            return
        try:
            if locked is not None:
                self._discard_with(locked, wanted)
                return
            with self.writers_lock() as connection:
                self._discard_with(connection, wanted)
        except Exception:  # keeping a blob is always safe; an error raised meanwhile goes on
            return

    def _discard_with(self, connection: Connection, wanted: list[str]) -> None:
        needed = set(
            connection.execute(
                select(Item.sha256).where(
                    Item.sha256.in_(wanted), Item.id.not_in(select(ItemKey.item_id))
                )
            ).scalars()
        ) | set(
            connection.execute(
                select(ItemKey.cipher_sha256).where(ItemKey.cipher_sha256.in_(wanted))
            ).scalars()
        )
        for address in set(wanted) - {str(n) for n in needed if n}:
            self.vault.discard(address)

    def _note_head(self, head: Head) -> None:
        if head.seq:
            write_head_file(self.home, head)

    def case_id(self, connection: Connection, name: str) -> int | None:
        return connection.execute(select(Case.id).where(Case.name == name)).scalar()

    def ensure_case(self, connection: Connection, writer: LedgerWriter, name: str) -> int:
        """The case's id, creating the case (and its ledger event) if it is new."""
        found = self.case_id(connection, name)
        if found is not None:
            return found
        case_id = connection.execute(
            insert(Case).values(name=name, title=name, mandate="", created_at=utc_now())
        ).inserted_primary_key
        assert case_id is not None
        new_id = int(case_id[0])
        writer.append("created", case_id=new_id, details={"case": name})
        return new_id


def open_store(home: Path, actor: str, *, create: bool = True, via: str = "") -> Store:
    """Open (and with ``create``, make) the home, migrate its database, and return the store.

    Raises :class:`~enquiry.errors.CatalogueError` when the catalogue database cannot be reached
    or belongs to another home (see :func:`enquiry.store.db.open_catalogue`).
    """
    if create:
        # The home holds evidence, accounts and sessions: other users of the machine get no
        # way in (a folder made by the umask alone is usually readable by everyone). Another
        # process may make the same new home at the same moment (two intakes started
        # together): whichever makes the folder, both go on to open it.
        home.mkdir(parents=True, mode=0o700, exist_ok=True)
    elif not home.is_dir() or not any((home / mark).exists() for mark in HOME_MARKS):
        # A folder that is not a home (a mistyped --home, a documents folder) is not made into
        # one by a command that only reads or changes what a home holds.
        raise FileNotFoundError(f"{home}: no enquiry home here (run 'enquiry add' first)")
    engine = open_catalogue(home)
    _start_head_file(home, engine)
    _finish_scrub(home, engine)
    vault = Vault(home / "vault")
    try:
        vault.ensure()
    except OSError as exc:
        engine.dispose()
        raise CatalogueError(
            f"home {home}: its vault {home / 'vault'} cannot be opened"
            f" ({exc.strerror or exc}); restore the home from a backup"
        ) from None
    return Store(home=home, engine=engine, vault=vault, actor=actor, via=via)


# What only a home holds: its binding to its catalogue, the SQLite catalogue itself (a home made
# before the binding existed has no home.json), the ledger head, the vault.
HOME_MARKS = (HOME_FILE, SQLITE_FILE, "ledger.head", "vault")


def _finish_scrub(home: Path, engine: Engine) -> None:
    """Empty the write-ahead log that an earlier seal or encryption could not (a reader held
    it then: see :func:`enquiry.app.atrest.scrub_database`), now that the home is opened
    again; the mark stays until it is done."""
    mark = home / SCRUB_PENDING
    if engine.dialect.name != "sqlite" or not mark.exists():
        return
    with engine.connect() as connection:
        if empty_wal(connection, 1000):
            mark.unlink(missing_ok=True)


def _start_head_file(home: Path, engine: Engine) -> None:
    """Give a home whose ledger is empty a ``ledger.head`` naming the empty chain.

    The head file is written after each commit; a process killed between the two leaves it one
    commit behind, which verify reports as a note. Without this, a kill right after the very
    first commit would leave no head file at all — which verify must treat as a deletion.
    """
    if head_file(home).exists():
        return
    with engine.connect() as connection:
        seq = connection.execute(select(LedgerHead.seq)).scalar()
    if seq == 0:
        write_head_file(home, Head(0, GENESIS))
