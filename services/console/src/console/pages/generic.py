"""Pages described as data: what to list from the API and which actions to offer.

Many pages of logistics and hr are the same shape: one or more lists read from the API, and
forms that post one action. A `Page` names them; `mount` gives it a GET route and one POST route
per action. Form values become the JSON body by their names (`items.0.sku` → nested), typed by
the field kind (`int`, `bool`, `date`, `datetime` in Shanghai time, `fen` from yuan). The API
answers; its problem is shown next to the fields it names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from console import format
from console.api import Problem
from console.web import Ctx, CtxDep, FormDep, Section


@dataclass(frozen=True)
class F:
    name: str
    text: str
    # text, textarea, int, number, fen, bool, date, datetime, time, lines, select, hidden
    kind: str = "text"
    options: tuple[tuple[str, str], ...] = ()
    required: bool = False
    default: str | Callable[[Ctx], str] = ""
    path: bool = False  # fills a {placeholder} of the API path, not the body
    unit: str = ""  # shown after the input: 天, 小时, 人 …
    hint: str = ""  # shown under the label: the range the API takes

    def value(self, ctx: Ctx) -> str:
        return self.default(ctx) if callable(self.default) else self.default


TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")


@dataclass(frozen=True)
class Action:
    key: str
    title: str
    api: str  # e.g. "/api/hr/requests/{request_id}/decisions"
    fields: tuple[F, ...] = ()
    button: str = "提交"
    method: str = "POST"
    roles: frozenset[str] | None = None
    done: str = "已提交"
    shown: bool = True  # False: posted from elsewhere on the page (a button in `insert`)


@dataclass(frozen=True)
class RowAction:
    """A button on each row: `action` with hidden values from the row and fixed values."""

    action: str
    text: str
    from_row: dict[str, str] = field(default_factory=dict)  # form field -> row key
    fixed: dict[str, str] = field(default_factory=dict)
    inputs: tuple[F, ...] = ()
    when: Callable[[dict[str, Any]], bool] | None = None
    style: str = "secondary"


@dataclass(frozen=True)
class Listing:
    title: str
    api: str
    params: Callable[[Ctx], dict[str, Any]] = lambda ctx: {}
    cols: tuple[str, ...] = ()
    link: str | None = None
    link_key: str = "number"
    items_key: str | None = None
    row_actions: tuple[RowAction, ...] = ()
    roles: frozenset[str] | None = None
    filter: Callable[[Ctx, dict[str, Any]], bool] | None = None
    detail: bool = False  # one record, shown as facts, not a table
    use_query: bool = True  # send the page's filters (e.g. month) as query parameters
    shape: Callable[[dict[str, Any]], dict[str, Any]] | None = None  # adds shown-only values
    expand: Callable[[Ctx, list[dict[str, Any]]], list[dict[str, Any]]] | None = None
    """The rows to show from the API's items (e.g. my entries out of the month's rosters)."""


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    listings: tuple[Listing, ...] = ()
    actions: tuple[Action, ...] = ()
    note: str = ""
    query: tuple[F, ...] = ()  # GET filters shown above the lists (e.g. month)
    insert: Callable[[Ctx, dict[str, Section]], Any] | None = None


def _allowed(roles: frozenset[str] | None, ctx: Ctx) -> bool:
    return roles is None or ctx.session.role in roles


def _fill(template: str, values: dict[str, Any]) -> str:
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", quote(str(value), safe=""))
    return out


async def render(page: Page, ctx: Ctx, problem: Problem | None = None,
                 action: str | None = None, form: dict[str, str] | None = None,
                 status: int = 200) -> Response:
    query = {f.name: ctx.request.query_params.get(f.name) or f.value(ctx) for f in page.query}
    sections: dict[str, Section] = {}
    rows: dict[str, list[dict[str, Any]]] = {}
    for listing in page.listings:
        if not _allowed(listing.roles, ctx):
            continue
        values = {**query, "me": ctx.session.staff_id}
        extra_params = _params(listing, query) if listing.use_query else {}
        section = await ctx.section(_fill(listing.api, values),
                                    params={**listing.params(ctx), **extra_params})
        sections[listing.title] = section
        data = section.data
        if section.ok and not listing.detail:
            items = data.get(listing.items_key or "items", []) if isinstance(data, dict) else data
            items = [i for i in items or [] if isinstance(i, dict)]
            if listing.filter:
                items = [i for i in items if listing.filter(ctx, i)]
            if listing.expand:
                items = listing.expand(ctx, items)
            if listing.shape:
                items = [listing.shape(i) for i in items]
            rows[listing.title] = items
    insert = page.insert(ctx, sections) if page.insert else None
    actions = [a for a in page.actions if _allowed(a.roles, ctx)]
    visible = {a.key for a in actions
               if a.shown and (not a.fields or any(f.kind != "hidden" for f in a.fields))}
    return ctx.render("page.html", status=status, page=page, sections=sections, rows=rows,
                      actions=actions, top_problem=problem if action not in visible else None,
                      listings=[ls for ls in page.listings if _allowed(ls.roles, ctx)],
                      problem=problem, action=action, form=form or {}, query=query, ctx=ctx,
                      insert=insert)


def _params(listing: Listing, query: dict[str, str]) -> dict[str, Any]:
    return {k: v for k, v in query.items() if "{" + k + "}" not in listing.api and v}


def body_of(fields: tuple[F, ...], form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str],
                                                                  dict[str, str]]:
    """(body, path values, local field errors) from the posted form."""
    body: dict[str, Any] = {}
    path: dict[str, str] = {}
    errors: dict[str, str] = {}
    for f in fields:
        raw = form.get(f.name, "").strip()
        if f.path:
            path[f.name] = raw
            continue
        if raw == "" and f.kind not in ("bool", "lines"):
            if f.required:
                errors[f.name] = "必填"
            continue
        try:
            value = _typed(f, raw)
        except ValueError as exc:
            errors[f.name] = str(exc)
            continue
        _put(body, f.name.split("."), value)
    return body, path, errors


def _typed(f: F, raw: str) -> Any:
    if f.kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise ValueError("请输入整数") from None
    if f.kind == "number":
        try:
            return float(raw)
        except ValueError:
            raise ValueError("请输入数字") from None
    if f.kind == "time":
        if not TIME.match(raw):
            raise ValueError("请输入时间，如 16:00")
        return raw if len(raw) == 8 else raw + ":00"
    if f.kind == "lines":
        return [part.strip() for part in raw.replace(",", "\n").replace("，", "\n").splitlines()
                if part.strip()]
    if f.kind == "fen":
        try:
            return int((Decimal(raw) * 100).to_integral_value())
        except InvalidOperation:
            raise ValueError("请输入金额（元），如 12.50") from None
    if f.kind == "bool":
        return raw in ("on", "true", "1", "yes")
    if f.kind == "datetime":
        return raw + (":00" if len(raw) == 16 else "") + "+08:00"
    return raw


def _put(body: dict[str, Any], parts: list[str], value: Any) -> None:
    node: Any = body
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        nxt: Any = None if last else ([] if parts[i + 1].isdigit() else {})
        if isinstance(node, list):
            index = int(part)
            while len(node) <= index:
                node.append({} if nxt is None or isinstance(nxt, dict) else [])
            if last:
                node[index] = value
            else:
                if not isinstance(node[index], type(nxt)):
                    node[index] = nxt
                node = node[index]
        else:
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, nxt)


def mount(router: APIRouter, page: Page) -> None:
    async def show(ctx: CtxDep) -> Response:
        return await render(page, ctx)

    async def act(ctx: CtxDep, form: FormDep, key: str) -> Response:
        action = next((a for a in page.actions if a.key == key and _allowed(a.roles, ctx)), None)
        if action is None:
            return Response(status_code=404)
        # A button on a row posts only some fields: the others take their defaults.
        posted = {**{f.name: f.value(ctx) for f in action.fields
                     if f.kind != "bool" and f.name not in form}, **form}
        body, path, errors = body_of(action.fields, posted)
        if errors:
            problem = Problem(422, "请检查填写的内容", "有字段未填写或格式不对。", fields=errors)
            return await render(page, ctx, problem, action.key, form, 422)
        answer = await ctx.act(action.method, _fill(action.api, path), body)
        if not answer.ok:
            return await render(page, ctx, answer.problem, action.key, form, answer.status)
        back = page.path + _query_string(ctx.request)
        return ctx.redirect(back, action.done)

    router.add_api_route(page.path, show, methods=["GET"], include_in_schema=False)
    router.add_api_route(page.path + "/do/{key}", act, methods=["POST"], include_in_schema=False)


def _query_string(request: Request) -> str:
    referer = request.headers.get("Referer", "")
    if "?" in referer:
        query = referer.split("?", 1)[1]
        keep = "&".join(p for p in query.split("&") if not p.startswith("notice="))
        return f"?{keep}" if keep else ""
    return ""


__all__ = ["Action", "F", "Listing", "Page", "RowAction", "format", "mount", "render"]
