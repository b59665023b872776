"""``enquiry serve``: the web app and the API over the home, on uvicorn."""

from __future__ import annotations

import click

from enquiry.cli import App, echo, pass_app


def serve_home(
    app: App,
    host: str,
    port: int,
    *,
    insecure_cookies: bool = False,
    workers: int = 1,
    threads: int | None = None,
) -> None:
    """Serve the home until interrupted, on the catalogue the command line uses. With several
    ``workers`` each is a process of its own over the same catalogue (sessions live in it, so
    any worker answers any signed-in browser)."""
    import os

    import uvicorn

    from enquiry.web import create_app
    from enquiry.web.app import DEFAULT_THREADS, ENV_ACTOR, ENV_HOME, ENV_INSECURE, ENV_THREADS

    threads = threads or DEFAULT_THREADS

    echo(f"serving {app.home} at http://{host}:{port}/ (Ctrl-C stops)")
    options: dict[str, object] = {"log_level": "warning", "proxy_headers": False}
    if workers > 1:
        os.environ[ENV_HOME] = str(app.home)
        os.environ[ENV_ACTOR] = app.actor
        os.environ[ENV_INSECURE] = "1" if insecure_cookies else ""
        os.environ[ENV_THREADS] = str(threads)
        uvicorn.run(
            "enquiry.web.app:from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            **options,  # type: ignore[arg-type]
        )
        return
    web = create_app(
        app.home, actor=app.actor, secure_cookies=not insecure_cookies, threads=threads
    )
    uvicorn.run(web, host=host, port=port, **options)  # type: ignore[arg-type]


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
@pass_app
def serve_command(
    app: App, host: str, port: int, insecure_cookies: bool, workers: int, threads: int | None
) -> None:
    """Serve the web app and the REST API (/api/v1, documented at /openapi.json)."""
    serve_home(app, host, port, insecure_cookies=insecure_cookies, workers=workers, threads=threads)


def register(main: click.Group) -> None:
    """Add the serve command to the main group."""
    main.add_command(serve_command)
