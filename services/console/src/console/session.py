"""The signed-in person's session: the gateway token in a cookie, CSRF tokens, `next=`.

The console keeps no session state of its own. The token the gateway issued sits in an
HttpOnly, SameSite=Strict cookie (Secure outside development); the console reads its claims
(staff id, role, expiry) only to choose the menu and to send an expired session back to the
sign-in page early. The gateway and the services verify the token on every call.

CSRF: double submit. A random token sits in its own HttpOnly, SameSite=Strict cookie and is
written into every form (and into htmx's request headers); a state-changing request whose form
field or `X-CSRF-Token` header does not match the cookie is refused with 403.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from fastapi import Request
from starlette.responses import Response

TOKEN_COOKIE = "ops_session"  # noqa: S105 - a cookie name
CSRF_COOKIE = "ops_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
MAX_FORM_BYTES = 256 * 1024


@dataclass(frozen=True)
class Session:
    token: str
    staff_id: str
    role: str
    team: str | None
    expires_at: float

    @property
    def expired(self) -> bool:
        return self.expires_at <= time.time()


def claims_of(token: str) -> dict[str, Any] | None:
    """The token's claims, unverified (the gateway verifies); None if it is not a JWT."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (IndexError, ValueError):
        return None
    return claims if isinstance(claims, dict) else None


def session_of(request: Request) -> Session | None:
    token = request.cookies.get(TOKEN_COOKIE)
    if not token:
        return None
    claims = claims_of(token)
    if not claims or not isinstance(claims.get("sub"), str):
        return None
    exp = claims.get("exp")
    return Session(token=token, staff_id=claims["sub"], role=str(claims.get("role", "")),
                   team=claims.get("team"),
                   expires_at=float(exp) if isinstance(exp, int | float) else 0.0)


def set_session(response: Response, token: str, max_age: int, secure: bool) -> None:
    response.set_cookie(TOKEN_COOKIE, token, max_age=max_age, httponly=True, secure=secure,
                        samesite="strict", path="/")


def clear_session(response: Response, secure: bool) -> None:
    response.delete_cookie(TOKEN_COOKIE, path="/", httponly=True, secure=secure,
                           samesite="strict")


def csrf_token(request: Request) -> str:
    """The request's CSRF token: the cookie's, or a new one (set on the response later)."""
    existing = getattr(request.state, "csrf", None)
    if existing:
        return existing
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    request.state.csrf = token
    return token


def keep_csrf_cookie(request: Request, response: Response, secure: bool) -> None:
    token = getattr(request.state, "csrf", None)
    if token and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, secure=secure,
                            samesite="strict", path="/")


def csrf_ok(request: Request, form: dict[str, str]) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    return bool(cookie) and hmac.compare_digest(cookie.encode(), sent.encode())


async def read_form(request: Request) -> dict[str, str]:
    """An urlencoded form body as a dict (the last value of a repeated field wins)."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return {}
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def safe_next(target: str | None, default: str = "/home") -> str:
    """A local path to return to after sign-in; anything else (another host, `//x`, `\\x`,
    a scheme) falls back to the default."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 0x20 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def sign_in_url(wanted: str | None) -> str:
    wanted = safe_next(wanted, "")
    return f"/?next={quote(wanted, safe='')}" if wanted else "/"
