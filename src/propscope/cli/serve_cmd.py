"""``propscope serve``: the web page and REST API (FastAPI on uvicorn)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from propscope.cli.common import MODEL_HELP
from propscope.errors import Code, PropscopeError


def serve_cli(
    host: Annotated[
        str | None,
        typer.Option(
            "--host", help="Address to bind (default 127.0.0.1); other than loopback needs a token."
        ),
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="TCP port (default 8000).")] = None,
    model: Annotated[str | None, typer.Option("--model", help=MODEL_HELP)] = None,
    allow_private_urls: Annotated[
        bool,
        typer.Option(
            "--allow-private-urls",
            help="Let URL input fetch loopback, private and link-local addresses.",
        ),
    ] = False,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="PROPSCOPE_API_TOKEN",
            show_envvar=True,
            help="Bearer token the analyze and corpus routes require; needed when --host is not "
            "loopback.",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Corpus database filled by propscope batch (SQLite file or URL): serves the "
            "dashboard at /corpus and /api/v1/corpus.",
        ),
    ] = None,
) -> None:
    """Serve the page at / and the REST API under /api/v1 (settings: see the README)."""
    serve(
        host=host,
        port=port,
        model=model,
        allow_private_urls=allow_private_urls or None,
        api_token=token,
        db=db,
    )


def serve(**options: Any) -> None:
    """Build the app from the settings (environment, then the options given) and run uvicorn."""
    import uvicorn
    from pydantic import ValidationError

    from propscope.web import Settings, create_app

    given = {k: v for k, v in options.items() if v is not None}
    try:
        settings = Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise PropscopeError(Code.BAD_OPTION, f"bad setting {where}: {first['msg']}") from None
    app = create_app(settings)
    base = f"http://{_url_host(settings.host)}:{settings.port}/"
    typer.echo(f"propscope: serving on {base}", err=True)
    if settings.db:
        typer.echo(f"propscope: corpus dashboard on {base}corpus", err=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
