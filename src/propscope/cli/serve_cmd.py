"""``propscope serve``: the web page and REST API (FastAPI on uvicorn)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from propscope.cli.common import MODEL_HELP
from propscope.errors import Code, PropscopeError


def serve_cli(
    ctx: typer.Context,
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
            "loopback. Prefer the environment variable or --token-file: a command line is "
            "visible to every user in the process list.",
        ),
    ] = None,
    token_file: Annotated[
        Path | None,
        typer.Option(
            "--token-file",
            help="Read the bearer token from this file (its first line).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            help="Analysis worker processes, each holding the model: analyses at once "
            "(max_concurrency; default 2).",
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
    source = ctx.get_parameter_source("token")
    if token is not None and source is not None and source.name == "COMMANDLINE":
        typer.echo(
            "propscope: warning: a token given with --token is visible in the process list; "
            "prefer PROPSCOPE_API_TOKEN or --token-file",
            err=True,
        )
    if token_file is not None:
        token = read_token(token_file)
    serve(
        host=host,
        port=port,
        model=model,
        allow_private_urls=allow_private_urls or None,
        api_token=token,
        db=db,
        max_concurrency=workers,
    )


def read_token(path: Path) -> str:
    """The first line of ``path``, stripped; E001/E003/E030 where it is missing, unreadable or
    empty."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PropscopeError(Code.FILE_NOT_FOUND, "no token file", path=str(path)) from None
    except OSError as exc:
        raise PropscopeError(
            Code.UNREADABLE, f"cannot read the token file: {exc.strerror}", path=str(path)
        ) from None
    try:
        lines = raw.decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise PropscopeError(
            Code.INVALID_UTF8, "the token file is not UTF-8", path=str(path), byte=exc.start
        ) from None
    token = lines[0].strip() if lines else ""
    if not token:
        raise PropscopeError(
            Code.BAD_OPTION, "the token file's first line is empty", path=str(path)
        )
    return token


def serve(**options: Any) -> None:
    """Build the app from the settings (environment, then the options given) and run uvicorn."""
    import uvicorn
    from pydantic import ValidationError

    from propscope.web import Settings, create_app
    from propscope.web.server import bind_socket, uvicorn_config

    given = {k: v for k, v in options.items() if v is not None}
    try:
        settings = Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise PropscopeError(Code.BAD_OPTION, f"bad setting {where}: {first['msg']}") from None
    sock = bind_socket(settings.host, settings.port)  # E059 before the model loads
    try:
        app = create_app(settings)
        port = sock.getsockname()[1]  # the one bound (--port 0: a free one)
        base = f"http://{_url_host(settings.host)}:{port}/"
        typer.echo(f"propscope: serving on {base}", err=True)
        if settings.db:
            typer.echo(f"propscope: corpus dashboard on {base}corpus", err=True)
        uvicorn.Server(uvicorn_config(app, settings, log_level="info")).run(sockets=[sock])
    finally:
        sock.close()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
