"""`factcheck serve`: the warm HTTP service (factcheck/service/)."""
from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import FactcheckError
from .common import (Backend, BackendOpt, ConfigOpt, DisableOpt, EnableOpt, ModelOpt, RulesOpt, SeverityOpt, settings_from, top_k_option, min_similarity_option)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; loopback unless you mean otherwise."),
    port: int = typer.Option(8750, "--port", min=0, max=65535, help="TCP port (0: any free port)."),
    db: Optional[str] = typer.Option(None, "--db", help="Claims database: a directory [default: claims_db/, "
                                     "env FACTCHECK_DB] created on the first POST /v1/claims, or "
                                     "milvus://HOST:PORT/COLLECTION."),
    token_file: Optional[Path] = typer.Option(None, "--token-file", help="File holding a bearer token that API "
                                              "requests must send (Authorization: Bearer TOKEN)."),
    max_bytes: int = typer.Option(5 * 1024 * 1024, "--max-bytes", min=1024, help="Largest request body accepted."),
    lock_timeout: float = typer.Option(30, "--lock-timeout", help="Seconds a write waits for another writer."),
    parallel: Optional[int] = typer.Option(None, "--parallel", min=1, max=256,
                                           help="Checks and comparisons run at once; more wait their turn "
                                           "(searches never do). [default: one per CPU core]"),
    rules: Optional[List[Path]] = RulesOpt,
    model: Optional[str] = ModelOpt,
    backend: Optional[Backend] = BackendOpt,
    top_k: Optional[int] = top_k_option(),
    min_similarity: Optional[float] = min_similarity_option(),
    enable: Optional[List[str]] = EnableOpt,
    disable: Optional[List[str]] = DisableOpt,
    severity: Optional[List[str]] = SeverityOpt,
    config: Optional[Path] = ConfigOpt,
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
    root_path: str = typer.Option("", "--root-path", help="URL prefix a reverse proxy serves this under "
                                  "(e.g. /factcheck), so the generated /docs find the schema."),
    background_frames: bool = typer.Option(True, "--background-frames/--no-background-frames",
                                           help="Parse the frames of stored claims that have none (at start-up, "
                                           "and after each POST /v1/claims) in the background while no check "
                                           "runs, so checks never parse the archive; as 'factcheck db frames' "
                                           "does. Embedded database only."),
) -> None:
    """Serve the checker over HTTP (JSON API + web page); the model, rules and database stay open."""
    settings = settings_from(rules, model, top_k, min_similarity, None, enable, disable, severity, db, config,
                             backend=backend)
    from ..db.base import exists, is_url, open_db

    location = str(settings.db)  # a directory (embedded store) or a milvus:// URL
    if root_path and (not root_path.startswith("/") or root_path.endswith("/") or "?" in root_path):
        raise FactcheckError(f"--root-path must start with '/' and not end with one, e.g. /factcheck; got '{root_path}'")
    token = _read_token(token_file) if token_file else None
    if not _loopback(host) and token is None:
        typer.echo(f"factcheck: warning: serving on {host} without --token-file; anyone who can reach it can "
                   "add claims", err=True)
    try:
        import uvicorn

        from ..service.app import create_app
        from ..service.protocol import uvicorn_config
    except ImportError as exc:
        raise FactcheckError(f"the service needs the 'serve' extra ({exc.name} is missing): "
                             "pip install 'factcheck[serve]'") from None
    from ..checker import Checker
    from ..service.engine import Engine

    model_name = settings.model
    if model_name is None and exists(location):
        # The database's model: vectors only compare within one model. Opening it here also means
        # an unreachable Milvus or a foreign collection is a one-line error before a port is bound.
        store = open_db(location, create=is_url(location))  # Milvus: creates nothing until a write
        model_name = store.model
        store.close()
    checker = Checker(rules=settings.rules, model=model_name, top_k=settings.top_k,
                      min_similarity=settings.min_similarity, backend=settings.backend)
    engine = Engine(checker, location if is_url(location) else Path(location), lock_timeout=lock_timeout,
                    parallel=parallel)
    typer.echo("factcheck: loading the embedding model and the parser ...", err=True)
    engine.encoder  # noqa: B018  (load before accepting requests: the first check is then warm)
    if background_frames:
        engine.start_frames()
    app = create_app(engine, token=token, max_bytes=max_bytes)
    config = uvicorn_config(app, host=host, port=port, log_level=log_level, proxy_headers=True,
                            forwarded_allow_ips="127.0.0.1", root_path=root_path)
    try:
        uvicorn.Server(config).run()
    finally:
        engine.close()


def _read_token(path: Path) -> str:
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise FactcheckError(f"cannot read token file: {exc.strerror}", str(path))
    except UnicodeDecodeError:
        raise FactcheckError("token file is not UTF-8 text", str(path))
    if not token or len(token) < 16 or any(c.isspace() for c in token):
        raise FactcheckError("token file must hold one token of at least 16 characters, no spaces", str(path))
    return token


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
