"""The command line: a thin adapter over the application core (:mod:`enquiry.app`).

Each command family lives in its own module and registers itself on :data:`main`. A command
parses its options, calls one service with the :class:`~enquiry.app.Enquiry` for the acting
user, and formats what comes back; every :class:`~enquiry.errors.EnquiryError` a service raises
becomes one line on standard error and the error's exit status, here, in one place.

Whatever a command prints goes through :func:`echo` or :func:`echo_json`, which pass it through
:func:`~enquiry.intake.walk.printable` (or its JSON form): names, metadata, text and claims come
from hostile parties, and an escape sequence or a bidirectional override in them must reach the
investigator's terminal as a visible escape, never as an instruction to it.
"""

from __future__ import annotations

import getpass
import importlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn

import click

from enquiry import __version__
from enquiry.app import Enquiry
from enquiry.app import printable as safe
from enquiry.app.context import TOKEN_ENV
from enquiry.errors import BadRequest, EnquiryError

LINE_MAX = 400
"""The longest problem line shown whole: a longer one (a name of thousands of characters) is
cut in the middle, keeping what it names first and the problem, which comes last."""

GLOBAL_OPTIONS = ("--home", "--as")


def default_actor() -> str:
    """The operating-system user, the actor recorded in the ledger unless ``--as`` says else
    (refused like ``--as`` when it is an account's name: :class:`enquiry.app.context.Claim`)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "unknown")


# The acting user on the home: what every command receives as its first argument.
App = Enquiry

pass_app = click.make_pass_decorator(App)

__all__ = [
    "App",
    "cluster_option",
    "echo",
    "echo_json",
    "fail",
    "json_text",
    "main",
    "pass_app",
    "safe",
    "say_problem",
]


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print ``message`` (on standard error with ``err``): the one way a command writes text.

    Line feeds and tabs are kept (a listing is lines of tab-separated columns); every other
    control, escape or invisible format character is shown as an escape, whether or not the
    value holding it was passed through :func:`safe` — a field a command forgot cannot colour
    the terminal, move its cursor over a failed verification, or reverse a file's name. A field
    that must not break its line (a name, a title) still goes through :func:`safe` first."""
    click.echo(safe(message, multiline=True), err=err, nl=nl)


def json_text(
    value: object,
    *,
    indent: int | None = 2,
    sort_keys: bool = False,
    default: Callable[[Any], Any] | None = None,
) -> str:
    """``value`` as JSON text fit for a terminal: the exact values, with the characters a
    terminal would act on written as JSON escapes (``printable`` with ``in_json``)."""
    text = json.dumps(
        value, ensure_ascii=False, indent=indent, sort_keys=sort_keys, default=default
    )
    return safe(text, in_json=True)


def echo_json(
    value: object,
    *,
    indent: int | None = 2,
    sort_keys: bool = False,
    default: Callable[[Any], Any] | None = None,
    err: bool = False,
) -> None:
    """Print ``value`` as JSON (``--json``): exact values, the characters a terminal would act
    on written as JSON escapes (see :func:`json_text`)."""
    click.echo(json_text(value, indent=indent, sort_keys=sort_keys, default=default), err=err)


def cluster_option(command: Any) -> Any:
    """``--cluster ADDRESS``: where the reading of a command runs (see docs/scale.md)."""
    return click.option(
        "--cluster",
        default=None,
        metavar="ADDRESS",
        help="Run the reading on a Dask cluster: local:N (N local workers) or tcp://HOST:PORT"
        " of a dask scheduler (default: $ENQUIRY_CLUSTER, else this machine's processes).",
    )(command)


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """Move ``--home``/``--as`` given after the subcommand to the front, where click reads them,
    so ``enquiry verify --home X`` works like ``enquiry --home X verify``. Nothing after ``--``
    is touched."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    args = list(args)
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS and rest:
            if "=" in arg:
                front.append(arg)
                index += 1
                continue
            if index + 1 < len(args):
                front.extend(args[index : index + 2])
                index += 2
                continue
        rest.append(arg)
        index += 1
    return front + rest


# Which module holds each command: a command's family is imported only when it is run (or
# when help lists them all), so `enquiry add` does not pay for loading the analysis engine,
# the media decoders or the language model.
FAMILIES = {
    "enquiry.cli.evidence": ("add", "derive", "case", "item", "log", "verify", "kinds"),
    "enquiry.cli.analysis": ("load", "dump", "analyse", "report", "demo"),
    "enquiry.cli.claims": ("claims", "ingest"),
    "enquiry.cli.media": ("media",),
    "enquiry.cli.protection": ("protection",),
    "enquiry.cli.sources": ("sources", "truth"),
    "enquiry.cli.ocr": ("ocr",),
    "enquiry.cli.exports": ("export",),
    "enquiry.cli.publish": ("keys", "bundle", "backup", "restore"),
    "enquiry.cli.accounts": ("users", "tokens"),
    "enquiry.cli.web": ("serve",),
    "enquiry.cli.matrix": (
        "matrix",
        "rate",
        "hypothesis",
        "finding",
        "comment",
        "comments",
        "sign-off",
    ),
    "enquiry.cli.search": ("search", "reindex"),
    "enquiry.cli.enrichment": ("enrich",),
}


class EnquiryGroup(click.Group):
    """The top-level group: global options anywhere, domain errors as one line and a status,
    command families loaded on first use."""

    def _load(self, module: str) -> None:
        importlib.import_module(module).register(self)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            for module, names in FAMILIES.items():
                if cmd_name in names:
                    self._load(module)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in FAMILIES:
            self._load(module)
        return super().list_commands(ctx)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, hoist_global_options(args))
        except click.exceptions.NoArgsIsHelpError as exc:
            _show_help(exc, ctx)
        except click.UsageError as exc:
            # click would print this itself, quoting what was typed as it was.
            fail(f"{safe(exc.format_message())} (see 'enquiry --help')", exc.exit_code)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EnquiryError as exc:
            fail(safe(str(exc)), exc.exit_code)
        except click.exceptions.NoArgsIsHelpError as exc:
            _show_help(exc, ctx)
        except UnicodeEncodeError as exc:
            # A value typed or set in another encoding than UTF-8 (a --field, a --source, a
            # variable) reaches Python holding the bytes it could not decode, which no text
            # column, JSON document or hash of text takes. Files' names may hold such bytes and
            # are kept as they are; a value meant as text is refused, in one line naming it,
            # and what the command was writing is rolled back with its transaction.
            if exc.encoding.replace("-", "").lower() != "utf8":
                raise  # not a value given as text, but something unforeseen
            value = exc.object if isinstance(exc.object, str) else ""
            first, last = max(0, exc.start - 30), min(len(value), exc.end + 30)
            shown = f"{'…' if first else ''}{value[first:last]}{'…' if last < len(value) else ''}"
            fail(
                f"'{safe(shown)}' is not UTF-8 text (typed or set in another encoding)",
                BadRequest.exit_code,
            )
        except click.UsageError as exc:
            # A wrong argument is one line too, naming what is wrong and where help is, not
            # click's usage block (status 2 as click gives it).
            path = (exc.ctx or ctx).command_path.split(" ")[1:]  # the program's own name first
            where = " ".join(["enquiry", *path])
            fail(f"{safe(exc.format_message())} (see '{where} --help')", exc.exit_code)
        except OSError as exc:
            # A path the system will not take as given (a name too long, a loop of links, no
            # permission) is bad input like any other: one line naming it, not a traceback.
            # An error that names no file is unexpected, and keeps its traceback.
            if exc.filename is None:
                raise
            name = exc.filename
            fail(f"{os.fsdecode(name) if isinstance(name, bytes) else name}: {exc.strerror or exc}")


@click.group(cls=EnquiryGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="enquiry")
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ENQUIRY_HOME",
    default=None,
    help="Folder holding the database and the vault [env ENQUIRY_HOME; default ./enquiry-data].",
)
@click.option(
    "--as",
    "actor",
    default=None,
    metavar="NAME",
    help="Who is acting, as recorded in the custody ledger [default: the OS user]; never an"
    f" account's name, unless ${TOKEN_ENV} holds one of that account's API tokens.",
)
@click.pass_context
def main(ctx: click.Context, home: Path | None, actor: str | None) -> None:
    """enquiry: preserve evidence, record custody, weigh hypotheses, publish verifiable findings.

    Global options (--home, --as) may be given before or after the command. With an account's
    API token in $ENQUIRY_TOKEN a command acts as that account, with its rights
    (docs/accounts.md).
    """
    if sys.excepthook is sys.__excepthook__:
        sys.excepthook = printable_traceback
    if actor is not None and not actor.strip():
        fail("--as must name who is acting", BadRequest.exit_code)
    # The token, if any, is checked (and an account's name refused without one) when the home
    # is first used, so that a command that opens no home needs neither.
    token = os.environ.get(TOKEN_ENV, "").strip() or None
    ctx.obj = App.command_line(
        home, actor if actor else default_actor(), named=bool(actor), token=token
    )


def _show_help(exc: click.exceptions.NoArgsIsHelpError, ctx: click.Context) -> NoReturn:
    """'enquiry', or a family of commands named without one ('enquiry case'): its help as
    --help shows it, not its lines run together into one error line."""
    click.echo((exc.ctx or ctx).get_help())
    sys.exit(0)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line on standard error and stop with ``code``. The message is made printable
    here: it often quotes what the user or the evidence gave (an unknown name, a bad value)."""
    click.echo(f"enquiry: {one_line(message)}", err=True)
    sys.exit(code)


def say_problem(line: str) -> None:
    """One problem line about one input, on standard error."""
    click.echo(f"enquiry: {one_line(line)}", err=True)


def one_line(message: str) -> str:
    """``message`` made printable, and cut in the middle beyond :data:`LINE_MAX` characters."""
    text = safe(message)
    if len(text) <= LINE_MAX:
        return text
    tail = LINE_MAX // 2
    return f"{text[: LINE_MAX - tail - 1]}…{text[-tail:]}"


def printable_traceback(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """Print an unexpected error's traceback as Python would, made printable: its message
    may quote a file's name or a metadata value, and a crash must not hand the terminal an
    escape sequence either."""
    text = "".join(traceback.format_exception(kind, error, trace))
    sys.stderr.write(safe(text, multiline=True))
    sys.stderr.flush()
