"""``enquiry serve``: the web app and the API over the home, on uvicorn."""

from __future__ import annotations

import click

from enquiry.cli import App, pass_app


def serve_home(app: App, host: str, port: int, *, insecure_cookies: bool = False) -> None:
    """Serve the home until interrupted (one process; the catalogue is the one the CLI uses)."""
    import uvicorn

    from enquiry.web import create_app

    web = create_app(app.home, actor=app.actor, secure_cookies=not insecure_cookies)
    click.echo(f"serving {app.home} at http://{host}:{port}/ (Ctrl-C stops)")
    uvicorn.run(web, host=host, port=port, log_level="warning", proxy_headers=False)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--insecure-cookies",
    is_flag=True,
    help="Send the session cookie over plain HTTP to a host other than this machine "
    "(only behind a TLS-terminating proxy you trust).",
)
@pass_app
def serve_command(app: App, host: str, port: int, insecure_cookies: bool) -> None:
    """Serve the web app and the REST API (/api/v1, documented at /openapi.json)."""
    serve_home(app, host, port, insecure_cookies=insecure_cookies)


def register(main: click.Group) -> None:
    """Add the serve command to the main group."""
    main.add_command(serve_command)
