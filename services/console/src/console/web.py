"""What every page handler gets: the person's session, their gateway client, rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from console import charts, format
from console.api import Answer, Gateway, Problem, Unavailable
from console.menus import menu_for
from console.session import (
    CSRF_FIELD,
    CSRF_HEADER,
    Session,
    csrf_ok,
    csrf_token,
    keep_csrf_cookie,
    read_form,
    session_of,
    sign_in_url,
)
from console.settings import ConsoleSettings

TEMPLATES = Path(__file__).parent / "templates"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.filters.update(shanghai=format.shanghai, yuan=format.yuan, label=format.label,
                       value=format.value_label, cell=format.cell,
                       reason=format.reason_label)
    env.globals.update(columns=format.columns, sla_state=format.sla_state,
                       role_name=lambda r: format.ROLE_NAMES.get(r, r),
                       reason_label=format.reason_label, timeline_label=format.timeline_label,
                       transition_name=lambda t: format.TRANSITION_NAMES.get(t, t),
                       bar_chart=charts.bar_chart, line_chart=charts.line_chart,
                       CSRF_FIELD=CSRF_FIELD, CSRF_HEADER=CSRF_HEADER)
    return templates


class SignInNeeded(Exception):
    def __init__(self, wanted: str | None) -> None:
        super().__init__(wanted)
        self.wanted = wanted


class CsrfRefused(Exception):
    pass


@dataclass
class Section:
    """One part of a page: its data, or the problem the API answered, or which part of the
    system did not answer."""

    data: Any = None
    problem: Problem | None = None
    unavailable: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and self.unavailable is None


@dataclass
class Ctx:
    request: Request
    settings: ConsoleSettings
    session: Session
    api: Gateway
    templates: Jinja2Templates
    flash: list[str] = field(default_factory=list)

    async def section(self, path: str, params: dict[str, Any] | None = None,
                      missing_is_unavailable: bool = False) -> Section:
        try:
            answer = await self.api.get(path, params=params,
                                        missing_is_unavailable=missing_is_unavailable)
        except Unavailable as exc:
            return Section(unavailable=exc.label)
        if not answer.ok:
            return Section(problem=answer.problem)
        return Section(data=answer.body)

    async def act(self, method: str, path: str, body: Any = None) -> Answer:
        """A change through the API; Unavailable becomes a 503 answer with a readable
        problem so the form can show it."""
        try:
            return await self.api.call(method, path, json=body)
        except Unavailable as exc:
            return Answer(503, {"title": "服务不可用",
                                "detail": f"{exc.label}暂时不可用，请稍后再试。"})

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        response = self.templates.TemplateResponse(
            self.request, template, {"session": self.session, "menu": menu_for(self.session.role),
                                     "csrf": csrf_token(self.request), "flash": self.flash,
                                     "path": self.request.url.path, **values},
            status_code=status)
        keep_csrf_cookie(self.request, response, self.settings.secure_cookies)
        return response

    def redirect(self, to: str, notice: str | None = None) -> Response:
        if notice:
            sep = "&" if "?" in to else "?"
            from urllib.parse import quote
            to = f"{to}{sep}notice={quote(notice)}"
        if self.request.headers.get("HX-Request"):
            return Response(status_code=204, headers={"HX-Redirect": to})
        return RedirectResponse(to, status_code=303)


def wanted_path(request: Request) -> str:
    """The page to come back to after signing in again: this GET, or for a POST the page the
    form was on."""
    if request.method == "GET" and not request.headers.get("HX-Request"):
        url = request.url
        return url.path + (f"?{url.query}" if url.query else "")
    current = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
    if current:
        from urllib.parse import urlsplit
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/home"


async def get_ctx(request: Request) -> Ctx:
    session = session_of(request)
    if session is None or session.expired:
        raise SignInNeeded(wanted_path(request))
    state = request.app.state
    return Ctx(request=request, settings=state.settings, session=session,
               api=Gateway(state.http, session.token), templates=state.templates,
               flash=[n for n in [request.query_params.get("notice")] if n])


CtxDep = Annotated[Ctx, Depends(get_ctx)]


async def form_of(request: Request) -> dict[str, str]:
    """The posted form, after its CSRF token is checked."""
    form = await read_form(request)
    if not csrf_ok(request, form):
        raise CsrfRefused()
    return form


FormDep = Annotated[dict[str, str], Depends(form_of)]


def sign_in_redirect(request: Request, wanted: str | None) -> Response:
    to = sign_in_url(wanted)
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": to})
    return RedirectResponse(to, status_code=303)


def new_http_client(settings: ConsoleSettings,
                    transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=settings.gateway_url, transport=transport,
                             timeout=settings.gateway_timeout_s, follow_redirects=False)
