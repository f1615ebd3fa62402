"""The FastAPI application: routes, errors as one-line JSON, auth, size limits, metrics.

FastAPI (on Starlette, served by uvicorn) because it generates the OpenAPI schema from the same
pydantic models that validate requests, so the documentation cannot drift from what is accepted,
and both are well kept and widely deployed. Routes only translate HTTP to Engine calls and
reports; nothing here judges claims.
"""
from __future__ import annotations

import hmac
import json
import logging
import time
from importlib.resources import files
from typing import Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import FactcheckError
from ..textio import decode_bytes, document_from_text
from .engine import Busy, Engine
from .metrics import Metrics
from .schemas import CheckIn, ClaimsIn, CompareIn, ErrorOut

log = logging.getLogger("factcheck.service")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
Fmt = Literal["json", "html"]
_ERRORS = {s: {"model": ErrorOut, "description": d} for s, d in (
    (400, "Bad input (the message names it)"), (401, "Missing or wrong bearer token"),
    (413, "Request too large"), (414, "URL too long"), (415, "Unsupported content type"), (422, "Request does not match the schema"),
    (431, "Request headers too large"),
    (503, "Database busy (another writer holds the lock)"))}
_REPORT = {200: {"description": "The report: the same JSON as `--format json` (schema: `factcheck schema findings`), "
                 "or the HTML report with `format=html`.",
                 "content": {"application/json": {"schema": {"type": "object"}}, "text/html": {"schema": {"type": "string"}}}}}


def error(status: int, message: str, field: str | None = None, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message, "field": field}}, status, headers=headers)


def _validation_message(exc: ValidationError | RequestValidationError, prefix: tuple = ()) -> tuple[str, str | None]:
    errs = exc.errors()
    if not errs:
        return "invalid request", None
    e = errs[0]
    loc = ".".join(str(p) for p in (*prefix, *e.get("loc", ())))
    msg = e.get("msg", "invalid").removeprefix("Value error, ")
    more = f" (and {len(errs) - 1} more problem{'s' if len(errs) > 2 else ''})" if len(errs) > 1 else ""
    return (f"{loc}: {msg}{more}" if loc else msg + more), loc or None


def _route_path(scope) -> str:
    """The path without the prefix a reverse proxy mounts the service under (--root-path)."""
    path, root = scope["path"], scope.get("root_path", "")
    return (path[len(root):] or "/") if root and path.startswith(root) else path


class LimitAndGuard:
    """ASGI middleware: bearer token, body size limit (also for chunked bodies), request metrics.

    The body is read here, bounded, and replayed to the app, so an oversized upload is refused
    with 413 before any parser sees it."""

    OPEN = ("/", "/healthz", "/favicon.ico")

    def __init__(self, app, metrics: Metrics, token: str | None, max_bytes: int) -> None:
        self.app, self.metrics, self.token, self.max_bytes = app, metrics, token, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status = {"code": 500}

        async def send_wrapped(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            denied = self._denied(scope)
            if denied is not None:
                return await denied(scope, receive, send_wrapped)
            body, too_big = b"", False
            headers = dict(scope.get("headers") or [])
            declared = headers.get(b"content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
                too_big = True
            elif scope["method"] in ("POST", "PUT", "PATCH"):
                more = True
                while more:
                    msg = await receive()
                    if msg["type"] == "http.disconnect":
                        return
                    body += msg.get("body", b"")
                    more = msg.get("more_body", False)
                    if len(body) > self.max_bytes:
                        too_big = True
                        break
            if too_big:
                resp = error(413, f"request body is larger than the limit of {self.max_bytes} bytes")
                return await resp(scope, receive, send_wrapped)
            sent = False

            async def replay():
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_wrapped)
        finally:
            route = scope.get("route")
            name = getattr(route, "path", None) or ("/static" if _route_path(scope).startswith("/static/") else "other")
            self.metrics.observe(scope["method"], name, status["code"], time.perf_counter() - start)

    def _denied(self, scope):
        path = _route_path(scope)
        if self.token is None or path in self.OPEN or path.startswith("/static/") or path in ("/docs", "/openapi.json"):
            return None
        auth = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
        scheme, _, given = auth.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), self.token.encode()):
            return None
        return error(401, "missing or wrong bearer token (Authorization: Bearer TOKEN)",
                     headers={"WWW-Authenticate": "Bearer"})


def create_app(engine: Engine, token: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> FastAPI:
    metrics = Metrics()
    app = FastAPI(title="factcheck", version="1",
                  description="Find and explain contradictions between news claims. Reports are the same JSON "
                              "as `factcheck compare/check --format json`.")
    app.state.engine, app.state.metrics = engine, metrics
    static = files("factcheck.service").joinpath("static")

    # -- errors: one line of JSON, never a traceback ------------------------------------------
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        msg, field = _validation_message(exc)
        return error(422, msg, field)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        msg = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404:
            msg = f"no such endpoint: {request.method} {request.url.path}"
        elif exc.status_code == 405:
            msg = f"method {request.method} not allowed on {request.url.path}"
        return error(exc.status_code, msg, headers=getattr(exc, "headers", None))

    @app.exception_handler(Busy)
    async def _busy(request: Request, exc: Busy):
        return error(503, str(exc), headers={"Retry-After": "5"})

    @app.exception_handler(FactcheckError)
    async def _bad(request: Request, exc: FactcheckError):
        return error(400, str(exc))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception):
        log.exception("internal error on %s %s", request.method, request.url.path)
        return error(500, f"internal error ({exc.__class__.__name__}); the server log has the details")

    def report(fmt: str, findings, html_page, **meta):
        metrics.count_findings(findings)
        if fmt == "html":
            return HTMLResponse(html_page())
        from ..report.json_report import document

        return JSONResponse(document(findings, **meta))

    def keep(findings, opts):
        out = [f for f in findings if f.confidence >= opts.min_confidence]
        return [f for f in out if f.relation in opts.relation] if opts.relation else out

    # -- API ----------------------------------------------------------------------------------
    compare_body = {"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/CompareIn"}},
        "multipart/form-data": {"schema": {"type": "object", "required": ["a", "b"], "properties": {
            "a": {"type": "string", "format": "binary", "description": "Article A (any common text encoding)"},
            "b": {"type": "string", "format": "binary", "description": "Article B"},
            "source_a": {"type": "string"}, "source_b": {"type": "string"},
            "enable": {"type": "array", "items": {"type": "string"}},
            "disable": {"type": "array", "items": {"type": "string"}},
            "min_confidence": {"type": "number", "minimum": 0, "maximum": 1}}}}}}}

    @app.post("/v1/compare", tags=["check"], responses={**_REPORT, **_ERRORS}, openapi_extra=compare_body,
              summary="Contradictions between two articles (and against the claims database)")
    async def compare(request: Request, format: Fmt = Query("json", description="json or html")):
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/json":
            raw = await request.body()
            try:
                data = json.loads(raw)
            except (ValueError, RecursionError) as exc:
                return error(400, f"body is not valid JSON: {exc}", "body")
            try:
                req = CompareIn.model_validate(data)
            except ValidationError as exc:
                return error(422, *_validation_message(exc, ("body",)))
            mk_a = lambda: document_from_text(req.a, req.source_a)  # noqa: E731
            mk_b = lambda: document_from_text(req.b, req.source_b)  # noqa: E731
        elif ctype == "multipart/form-data":
            req, mk_a, mk_b = await _from_form(request)
        else:
            return error(415, "send application/json ({\"a\": TEXT, \"b\": TEXT}) or multipart/form-data "
                              f"with files 'a' and 'b'; got '{ctype or 'no content type'}'")
        rules = engine.rules_for(req.enable, req.disable, req.severity)
        result = await run_in_threadpool(engine.compare, mk_a, mk_b, rules, req.use_db)
        findings = keep(result.findings, req)
        doc_a, doc_b = result.a, result.b

        def page():
            from ..report import html

            return html.render_comparison(doc_a, doc_b, findings, panes=True)

        return report(format, findings, page, sources=[doc_a.source, doc_b.source],
                      claims={"a": len(result.claims_a), "b": len(result.claims_b)})

    async def _from_form(request: Request):
        try:
            form = await request.form(max_files=2, max_fields=50)
        except Exception as exc:  # malformed multipart: the parser's own message names it
            raise FactcheckError(f"malformed multipart body: {exc}") from None
        docs, fields = {}, {}
        for key in ("a", "b"):
            part = form.get(key)
            if part is None or isinstance(part, str):
                raise FactcheckError(f"multipart field '{key}' must be an uploaded file")
            data = await part.read()
            name = form.get(f"source_{key}") or part.filename or key
            fields[f"source_{key}"] = name if isinstance(name, str) else key
            text, enc = decode_bytes(data, fields[f"source_{key}"])
            docs[key] = (text, enc)
        for key in ("enable", "disable"):
            fields[key] = [v for v in form.getlist(key) if isinstance(v, str)]
        if isinstance(form.get("min_confidence"), str):
            fields["min_confidence"] = form.get("min_confidence")
        try:
            req = CompareIn.model_validate({"a": docs["a"][0], "b": docs["b"][0], **fields})
        except ValidationError as exc:
            msg, _ = _validation_message(exc)
            raise FactcheckError(msg) from None
        return (req, lambda: document_from_text(req.a, req.source_a, encoding=docs["a"][1]),
                lambda: document_from_text(req.b, req.source_b, encoding=docs["b"][1]))

    @app.post("/v1/check", tags=["check"], responses={**_REPORT, **_ERRORS},
              summary="A draft (or claim list) against itself and the claims database")
    def check(req: CheckIn, format: Fmt = Query("json", description="json or html")):
        rules = engine.rules_for(req.enable, req.disable, req.severity)
        holder: dict = {}
        if req.text is not None:
            def make():
                holder["doc"] = document_from_text(req.text, req.source)
                found = engine.claims_of(holder["doc"])
                if not found:
                    raise FactcheckError(f"no claims found in '{req.source}' (claims need at least 3 words)")
                return found
        else:
            given = [c.to_claim(req.source) for c in req.claims]
            seen = set()
            for i, c in enumerate(given):
                if c.id in seen:
                    return error(422, f"body.claims.{i}.id: duplicate claim id '{c.id}'", f"body.claims.{i}.id")
                seen.add(c.id)
            make = lambda: given  # noqa: E731
        claims, found = engine.check(make, rules, req.use_db)
        findings = keep(found, req)
        doc = holder.get("doc")

        def page():
            from ..report import html

            if doc is not None:
                return html.render_draft(doc, findings)
            return html.render_findings(findings, title="factcheck check")

        return report(format, findings, page, claims=len(claims))

    @app.post("/v1/claims", tags=["database"], responses=_ERRORS,
              summary="Add published claims to the database (idempotent by id)")
    def add_claims(req: ClaimsIn) -> dict:
        def make():
            claims = [c.to_claim("api") for c in req.claims]
            for art in req.articles:
                claims += engine.claims_of(document_from_text(art.text, art.source, date=art.date))
            return claims

        res = engine.add(make)
        return {"added": res.added, "skipped": res.skipped, "total": res.total}

    @app.get("/v1/claims/search", tags=["database"], responses=_ERRORS, summary="Nearest stored claims")
    def search(q: str = Query(..., min_length=1, max_length=2000,
                         description="Text to look up (a claim or a phrase; at most 2,000 characters, so the URL "
                                     "stays within what the HTTP parser accepts)"),
               k: int = Query(10, ge=1, le=100)) -> dict:
        try:
            q.encode("utf-8")
        except UnicodeEncodeError:
            return error(422, "q: contains an unpaired surrogate", "query.q")
        if not q.strip():
            return error(422, "q: is blank", "query.q")
        return {"query": q, "results": engine.search(q, k)}

    @app.get("/v1/rules", tags=["rules"], summary="The rules this server judges with")
    def rules() -> dict:
        return {"rules": [{"id": r.id, "kind": r.kind, "severity": r.severity, "description": r.description,
                           "tags": list(r.tags), "min_similarity": r.min_similarity} for r in engine.checker.rules]}

    @app.get("/healthz", tags=["ops"], summary="Liveness and what is loaded")
    def healthz() -> dict:
        return {"status": "ok", "model": engine.checker.model or "default", "model_loaded": engine.model_loaded,
                "backend": engine.backend,
                "rules": len(engine.checker.rules), "db": str(engine.db) if engine.db else None,
                "claims": engine.claim_count(),
                "archive_frames": engine.frames.state if engine.frames is not None else "off"}

    @app.get("/metrics", tags=["ops"], response_class=PlainTextResponse, summary="Prometheus metrics")
    def metrics_() -> Response:
        text = metrics.render({
            "factcheck_model_loads": ("Times the embedding model was loaded by this process.", engine.model_loads),
            "factcheck_rules": ("Rules loaded.", len(engine.checker.rules)),
            "factcheck_db_claims": ("Claims in the database.", engine.claim_count()),
            "factcheck_background_frames_stored": (
                "Archive claims whose frames this process parsed and stored in the background.",
                engine.frames.stored if engine.frames is not None else 0),
            **engine.cache_gauges()})
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")

    # -- the page -------------------------------------------------------------------------------
    csp = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data:; connect-src 'self'; frame-src 'self' about:; base-uri 'none'; form-action 'self'")

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return HTMLResponse(static.joinpath("index.html").read_text(encoding="utf-8"),
                            headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff"})

    @app.get("/static/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        types = {"js": "text/javascript", "css": "text/css"}
        kind = name.rpartition(".")[2]
        if "/" in name or name.startswith(".") or kind not in types or not static.joinpath(name).is_file():
            return error(404, f"no such asset: {name}")
        return Response(static.joinpath(name).read_text(encoding="utf-8"), media_type=types[kind],
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})

    def openapi():
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            comps = schema.setdefault("components", {}).setdefault("schemas", {})
            extra = CompareIn.model_json_schema(ref_template="#/components/schemas/{model}")
            comps.update(extra.pop("$defs", {}))
            comps["CompareIn"] = extra
            schema["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
            if token is not None:
                schema["security"] = [{"bearer": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
    app.add_middleware(LimitAndGuard, metrics=metrics, token=token, max_bytes=max_bytes)
    return app
