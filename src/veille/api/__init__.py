"""``veille serve``: the REST API and the web explorer over one store, read-only unless asked.

Writing (``POST /api/documents``) needs ``--allow-ingest``; a server bound beyond loopback also
needs a token for it. Request bodies are capped before any route reads them, and every page is
sent with a Content-Security-Policy that forbids inline scripts, so stored text cannot run.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from veille import __version__
from veille.store import Store

HERE = Path(__file__).resolve().parent
MAX_BODY_BYTES = 1_000_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI sets inline style attributes; its scripts still come only from /static.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


async def _send_json(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class WriteGuard:
    """Refuses every writing request before its body is read: 403 without --allow-ingest, 401 without the token."""

    def __init__(self, app: ASGIApp, allow_ingest: bool, token: str | None):
        self.app, self.allow_ingest, self.token = app, allow_ingest, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            if not self.allow_ingest:
                await _send_json(send, 403, "This server is read-only: start it with `veille serve --allow-ingest` "
                                            "to accept documents.")
                return
            if self.token and not self._authorised(scope):
                await _send_json(send, 401, "Send the server's token as 'Authorization: Bearer <token>'.",
                                 [(b"www-authenticate", b'Bearer realm="veille"')])
                return
        await self.app(scope, receive, send)

    def _authorised(self, scope: Scope) -> bool:
        assert self.token is not None
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, given = value.decode("latin-1").partition(" ")
                return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), self.token.encode())
        return False


class BodyLimit:
    """Reads at most ``max_bytes`` of a request body (413 beyond), then replays it to the application."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and (not value.isdigit() or int(value) > self.max_bytes):
                await _send_json(send, 413, f"Request bodies are limited to {self.max_bytes} bytes.")
                return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _send_json(send, 413, f"Request bodies are limited to {self.max_bytes} bytes.")
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body, replayed = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class SecurityHeaders:
    """CSP and friends on every response: stored article text is data, never code."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = (DOCS_CSP if scope["path"] == "/docs" else CSP).encode()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", csp), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(db: str, allow_ingest: bool = False, token: str | None = None) -> FastAPI:
    """The FastAPI application over the store at ``db`` (SQLite file or database URL)."""
    from veille.api import routes, web

    store = Store(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="veille",
        version=__version__,
        description="French news as CAMEO political events, each traced to its sentence. "
                    "Read-only unless the server was started with `--allow-ingest`.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.allow_ingest = allow_ingest
    app.state.token = token
    app.state.ingest_lock = threading.Lock()
    app.state.nlp = None
    app.include_router(routes.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if not request.url.path.startswith("/api"):
            return web.error_page(request, 422, web.validation_messages(exc.errors()))
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        message = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in errors)
        return JSONResponse({"detail": errors, "message": message}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return web.error_page(request, exc.status_code, [str(exc.detail)])

    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(WriteGuard, allow_ingest=allow_ingest, token=token)
    app.add_middleware(SecurityHeaders)
    return app


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, allow_ingest: bool = False,
          token: str | None = None) -> None:
    """Run the app under uvicorn; refuses to accept writes from the network without a token."""
    import uvicorn

    if allow_ingest and not token and not is_loopback(host):
        raise SystemExit(f"--allow-ingest on {host} (not loopback) needs a token: pass --token or set VEILLE_TOKEN.")
    app = create_app(db, allow_ingest=allow_ingest, token=token)
    shown = f"[{host}]" if ":" in host else host
    print(f"veille explorer on http://{shown}:{port}/ · API documentation at http://{shown}:{port}/docs"
          + (" · ingestion enabled" if allow_ingest else ""), flush=True)
    uvicorn.run(app, host=host, port=port, server_header=False, log_level="info")
