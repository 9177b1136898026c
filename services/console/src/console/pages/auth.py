"""Sign-in, sign-out and the home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from console.api import Gateway, SessionEnded, Unavailable
from console.session import (
    clear_session,
    csrf_ok,
    csrf_token,
    keep_csrf_cookie,
    read_form,
    safe_next,
    session_of,
    set_session,
)
from console.web import CtxDep, FormDep

router = APIRouter()


def _sign_in_page(request: Request, status: int = 200, **values: object) -> Response:
    templates = request.app.state.templates
    wanted = safe_next(request.query_params.get("next") or str(values.pop("next", "") or ""), "")
    response = templates.TemplateResponse(
        request, "login.html", {"csrf": csrf_token(request), "next": wanted, "session": None,
                                "menu": [], "flash": [], **values}, status_code=status)
    keep_csrf_cookie(request, response, request.app.state.settings.secure_cookies)
    return response


@router.get("/", include_in_schema=False)
async def sign_in_form(request: Request) -> Response:
    session = session_of(request)
    if session and not session.expired:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return _sign_in_page(request)


@router.post("/login", include_in_schema=False)
async def sign_in(request: Request) -> Response:
    form = await read_form(request)
    wanted = safe_next(form.get("next"), "")
    staff_id = form.get("staff_id", "").strip()
    if not csrf_ok(request, form):
        return _sign_in_page(request, 403, error="页面已过期，请重新登录。", next=wanted,
                             staff_id=staff_id)
    fields: dict[str, str] = {}
    if not staff_id:
        fields["staff_id"] = "请输入工号"
    if not form.get("password"):
        fields["password"] = "请输入密码"  # noqa: S105 - a message
    if fields:
        return _sign_in_page(request, 422, fields=fields, next=wanted, staff_id=staff_id)
    api = Gateway(request.app.state.http, None)
    try:
        answer = await api.post("/auth/token", {"staff_id": staff_id,
                                                "password": form["password"]})
    except Unavailable:
        return _sign_in_page(request, 503, error="网关暂时不可用，无法登录，请稍后再试。",
                             next=wanted, staff_id=staff_id)
    if answer.status == 401:
        return _sign_in_page(request, 401, error="工号或密码错误。", next=wanted,
                             staff_id=staff_id)
    if answer.status == 429:
        retry = answer.headers.get("retry-after", "")
        return _sign_in_page(request, 429, next=wanted, staff_id=staff_id,
                             error=f"登录失败次数过多，账号已暂时锁定，请 {retry} 秒后再试。")
    if not answer.ok:
        problem = answer.problem
        return _sign_in_page(request, answer.status, next=wanted, staff_id=staff_id,
                             error=problem.detail if problem else "登录失败。",
                             fields=problem.fields if problem else {})
    body = answer.body
    response = RedirectResponse(safe_next(wanted), status_code=303)
    set_session(response, body["access_token"], int(body.get("expires_in", 8 * 3600)),
                request.app.state.settings.secure_cookies)
    return response


@router.post("/logout", include_in_schema=False)
async def sign_out(request: Request, ctx: CtxDep, form: FormDep) -> Response:
    """Ends this session: the gateway's `POST /auth/sign-out` revokes the token's session (its
    `sid`; the person's sessions on other devices keep working), then the cookie is cleared.
    If the gateway cannot be reached the cookie is still cleared, and the page says the
    session could not be ended there."""
    revoked = True
    try:
        answer = await ctx.api.post("/auth/sign-out", None, part="gateway")
        revoked = answer.ok
    except SessionEnded:
        pass  # already ended (expired or revoked): nothing left to revoke
    except Unavailable:
        revoked = False
    response = RedirectResponse("/?signed_out=1" if revoked else "/?signed_out=partial",
                                status_code=303)
    clear_session(response, request.app.state.settings.secure_cookies)
    return response


@router.get("/home", include_in_schema=False)
async def home(ctx: CtxDep) -> Response:
    me = await ctx.section("/auth/me")
    return ctx.render("home.html", me=me)
