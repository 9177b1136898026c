"""Security headers on every answer, and the CORS allow-list.

Every answer the gateway sends, its own and the upstreams' alike, error pages included, carries:
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`
  and a `Content-Security-Policy` with `frame-ancestors 'none'` (and `default-src 'none'`, except
  on the Swagger page, which loads its script and style);
- `Strict-Transport-Security` outside development (TLS ends in front of the gateway; browsers
  must not fall back to plain HTTP);
- `Cache-Control: no-store` on tokens, accounts and every `/api/…` answer (staff and customer
  data must not stay in a browser or shared cache; an upstream's own `Cache-Control` is
  replaced), and on any other answer that does not set its own (the public key set does).

CORS: only the origins listed in `CORS_ORIGINS` (none by default, so browsers on other origins
are refused by their own same-origin rule) may call the API from a browser; tokens travel in the
`Authorization` header, never in cookies, so credentials are not allowed.
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.settings import GatewaySettings
from ops_shared.web import CORRELATION_HEADER, REQUEST_ID_HEADER

PRIVATE_PREFIXES = ("/api/", "/auth/", "/admin/")
FRAMES = "frame-ancestors 'none'"
CORS_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
CORS_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", REQUEST_ID_HEADER,
                CORRELATION_HEADER]
CORS_EXPOSED = ["Retry-After", "Location", REQUEST_ID_HEADER, CORRELATION_HEADER]


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP answer (one pass over them)."""

    def __init__(self, app: ASGIApp, *, hsts_max_age_s: int | None) -> None:
        self.app = app
        fixed = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                 (b"x-frame-options", b"DENY")]
        if hsts_max_age_s is not None:
            fixed.append((b"strict-transport-security",
                          f"max-age={hsts_max_age_s}; includeSubDomains".encode()))
        self._fixed = fixed
        self._replaced = frozenset(name for name, _ in fixed) | {b"content-security-policy"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        private = path.startswith(PRIVATE_PREFIXES)
        policy = FRAMES if path == "/docs" else f"default-src 'none'; {FRAMES}"
        added = [*self._fixed, (b"content-security-policy", policy.encode())]
        replaced = self._replaced | {b"cache-control"} if private else self._replaced

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", ())
                        if k.lower() not in replaced]
                if private or not any(k.lower() == b"cache-control" for k, _ in kept):
                    kept.append((b"cache-control", b"no-store"))
                message["headers"] = kept + added
            await send(message)

        await self.app(scope, receive, send_with_headers)


def security_headers(app: ASGIApp, settings: GatewaySettings) -> SecurityHeaders:
    hsts = None if settings.environment == "development" else settings.hsts_max_age_s
    return SecurityHeaders(app, hsts_max_age_s=hsts)


def cors_options(settings: GatewaySettings) -> dict[str, object] | None:
    """CORSMiddleware options for the allow-list, or None when no origin is allowed."""
    if not settings.cors_origins:
        return None
    return {"allow_origins": list(settings.cors_origins), "allow_methods": CORS_METHODS,
            "allow_headers": CORS_HEADERS, "expose_headers": CORS_EXPOSED,
            "allow_credentials": False, "max_age": 600}


__all__ = ["CORSMiddleware", "SecurityHeaders", "cors_options", "security_headers"]
