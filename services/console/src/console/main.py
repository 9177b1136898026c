"""Entry point: `create_app(settings, transport)` builds the console's FastAPI app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import structlog
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from console.api import SessionEnded, Unavailable
from console.metrics import ConsoleMetrics, HttpObservation
from console.metrics import router as metrics_router
from console.pages import auth, logistics, operations, people, policies, reports, tickets
from console.session import clear_session
from console.settings import ConsoleSettings
from console.web import CsrfRefused, SignInNeeded, make_templates, new_http_client, sign_in_redirect

STATIC = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                                "base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(settings: ConsoleSettings | None = None,
               transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """Build the app; `transport` replaces the network to the gateway (tests)."""
    settings = settings or ConsoleSettings()
    _configure_logging(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.http = new_http_client(settings, transport)
        try:
            yield
        finally:
            await app.state.http.aclose()

    app = FastAPI(title="console", lifespan=lifespan, openapi_url=None, docs_url=None,
                  redoc_url=None)
    app.state.settings = settings
    app.state.templates = make_templates()
    app.state.metrics = ConsoleMetrics()
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.middleware("http")
    async def _headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path != "/healthz" and not request.url.path.startswith("/static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, exc: SignInNeeded) -> Response:
        response = sign_in_redirect(request, exc.wanted)
        clear_session(response, settings.secure_cookies)
        return response

    @app.exception_handler(SessionEnded)
    async def _ended(request: Request, exc: SessionEnded) -> Response:
        from console.web import wanted_path
        response = sign_in_redirect(request, wanted_path(request))
        clear_session(response, settings.secure_cookies)
        return response

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, exc: CsrfRefused) -> Response:
        return HTMLResponse("<h1>请求已过期</h1>"
                            "<p>表单校验失败（CSRF），请返回并刷新页面后重试。</p>"
                            '<p><a href="/home">返回首页</a></p>', status_code=403)

    @app.exception_handler(Unavailable)
    async def _unavailable(request: Request, exc: Unavailable) -> Response:
        return HTMLResponse(f"<h1>{exc.label}暂时不可用</h1><p>请稍后再试。</p>"
                            '<p><a href="/home">返回首页</a></p>', status_code=503)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        """Ready once started. The gateway's state is reported, not required: with the gateway
        down the console still answers, with a page that says so, rather than nothing."""
        try:
            answer = await app.state.http.get("/healthz", timeout=2)
            gateway = "ok" if answer.status_code == 200 else f"status {answer.status_code}"
        except httpx.HTTPError as exc:
            gateway = f"unreachable: {type(exc).__name__}"
        return JSONResponse({"status": "ok", "checks": {"gateway": gateway}})

    for module in (auth, tickets, operations, logistics, people, reports, policies):
        app.include_router(module.router)
    app.include_router(metrics_router)
    # Outermost: it sees the status actually sent, the security-header middleware's included.
    app.add_middleware(HttpObservation, metrics=app.state.metrics)
    return app


def _configure_logging(settings: ConsoleSettings) -> None:
    renderer = (structlog.processors.JSONRenderer() if settings.log_json
                else structlog.dev.ConsoleRenderer(colors=False))
    structlog.configure(processors=[structlog.processors.add_log_level,
                                    structlog.processors.TimeStamper(fmt="iso"), renderer])


def run() -> None:
    settings = ConsoleSettings()
    # On SIGTERM uvicorn stops listening and lets requests in flight finish for HTTP_GRACE_S.
    # h11 explicitly: it bounds a request head (16 KiB); uvicorn's httptools, picked by default
    # where installed (the shared venv has it for the services), bounds nothing.
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port,
                log_level=settings.log_level.lower(), proxy_headers=False, http="h11",
                timeout_graceful_shutdown=max(1, round(settings.http_grace_s)))
