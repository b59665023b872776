"""``enquiry serve``: the web app and the API over the home, on uvicorn."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from enquiry.cli import App, echo, pass_app
from enquiry.cli.evidence import parse_size

if TYPE_CHECKING:
    from enquiry.web.serving import Bounds


def serve_home(
    app: App,
    host: str,
    port: int,
    *,
    insecure_cookies: bool = False,
    workers: int = 1,
    threads: int | None = None,
    bounds: Bounds | None = None,
) -> None:
    """Serve the home until interrupted, on the catalogue the command line uses. With several
    ``workers`` each is a process of its own over the same catalogue (sessions live in it, so
    any worker answers any signed-in browser). ``bounds`` limits uploads, heads and
    connections (:mod:`enquiry.web.serving`); the defaults when none is given."""
    from enquiry.web.app import DEFAULT_THREADS
    from enquiry.web.serving import Bounds, serve

    shown = f"[{host}]" if ":" in host else host  # an IPv6 address, as a URL writes it
    echo(f"serving {app.home} at http://{shown}:{port}/ (Ctrl-C stops)")
    serve(
        app.home,
        actor=app.actor,
        host=host,
        port=port,
        workers=workers,
        threads=threads or DEFAULT_THREADS,
        secure_cookies=not insecure_cookies,
        bounds=bounds or Bounds(),
    )


def _size(_ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """A SIZE option in bytes; a size of nothing bounds nothing sensibly, so it is refused."""
    if value is None:
        return None
    size = parse_size(value)
    if size < 1:
        raise click.BadParameter(f"'{value}' is not a size above zero", param=param)
    return size


def _check_listenable(host: str, port: int) -> None:
    """Refuse, in one line, a place the server cannot listen on, before anything starts: an
    empty ``--host`` (which the server would take as every address of the machine, exposing
    it on every network it is on), a name or address that is not this machine's, or a port
    already taken. The server itself would log the last two in its own format, after it had
    begun to start."""
    import socket

    if not host.strip():
        raise click.BadParameter(
            "empty; name the address to listen on (127.0.0.1 for this machine only, 0.0.0.0"
            " for every network it is on)",
            param_hint="--host",
        )
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, socket.gaierror) else str(exc)
        raise click.BadParameter(
            f"'{host}' is not an address ({reason})", param_hint="--host"
        ) from None
    family, kind, proto, _name, place = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind(place)
        except OSError as exc:
            raise click.BadParameter(
                f"cannot listen on {host} port {port} ({exc.strerror or exc})",
                param_hint="--host/--port",
            ) from None


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--insecure-cookies",
    is_flag=True,
    help="Send the session cookie over plain HTTP to a host other than this machine "
    "(only behind a TLS-terminating proxy you trust).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (about one per core; they share one count of failed sign-ins).",
)
@click.option(
    "--threads",
    default=None,
    type=click.IntRange(1, 256),
    help="Threads per process running requests' work at once [default: 6].",
)
@click.option(
    "--max-upload",
    metavar="SIZE",
    callback=_size,
    help="The largest upload in one request, e.g. 500M or 20G; larger is refused (413) "
    "and nothing of it stored [default: 8G].",
)
@click.option(
    "--max-header",
    metavar="SIZE",
    callback=_size,
    help="The longest request line and headers, e.g. 16K; longer is refused [default: 16K].",
)
@click.option(
    "--max-connections",
    default=None,
    type=click.IntRange(1, 100_000),
    help="Connections open at once per process; a request beyond gets 503 [default: 256].",
)
@click.option(
    "--keep-alive",
    default=None,
    type=click.IntRange(1, 3600),
    help="Seconds an idle connection is kept open after an answer [default: 5].",
)
@pass_app
def serve_command(
    app: App,
    host: str,
    port: int,
    insecure_cookies: bool,
    workers: int,
    threads: int | None,
    max_upload: int | None,
    max_header: int | None,
    max_connections: int | None,
    keep_alive: int | None,
) -> None:
    """Serve the web app and the REST API (/api/v1, documented at /openapi.json)."""
    from enquiry.web.serving import Bounds

    _check_listenable(host, port)
    default = Bounds()
    if max_header is not None and max_header < 1024:
        raise click.BadParameter(
            "at least 1K (a browser's usual headers take about 2K)", param_hint="--max-header"
        )
    bounds = Bounds(
        upload_max=max_upload or default.upload_max,
        header_max=max_header or default.header_max,
        connections=max_connections or default.connections,
        keep_alive=keep_alive or default.keep_alive,
    )
    serve_home(
        app,
        host,
        port,
        insecure_cookies=insecure_cookies,
        workers=workers,
        threads=threads,
        bounds=bounds,
    )


def register(main: click.Group) -> None:
    """Add the serve command to the main group."""
    main.add_command(serve_command)
