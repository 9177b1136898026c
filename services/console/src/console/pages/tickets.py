"""Agents' pages: the queue, a ticket with its timeline and actions, the customer profile,
knowledge-base search."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from console.api import Problem
from console.menus import AGENTS
from console.web import CtxDep, FormDep

router = APIRouter()
T = "/api/tickets"
NUMBER = r"^[A-Z]{2}-\d{8}-\d{1,6}$"
STATES = [("", "全部未关闭"), ("new", "新建"), ("open", "处理中"),
          ("pending_customer", "等待客户"), ("escalated", "已升级"), ("transferred", "已转交"),
          ("rectified", "已整改"), ("awaiting_callback", "待回访"), ("closed", "已关闭")]
OPEN_STATES = ("new", "open", "pending_customer", "escalated", "transferred", "rectified",
               "awaiting_callback")


async def _queue(ctx: CtxDep, state: str) -> dict[str, Any]:
    mine = ctx.session.role in AGENTS
    params: dict[str, Any] = {"limit": 100, "state": state or None}
    if mine:
        params["assignee"] = ctx.session.staff_id
    section = await ctx.section(f"{T}/tickets", params=params)
    items = (section.data or {}).get("items", []) if section.ok else []
    if not state:
        items = [t for t in items if t.get("state") in OPEN_STATES]
    return {"tickets": section, "items": items, "mine": mine, "state": state, "states": STATES}


@router.get("/queue")
async def queue(ctx: CtxDep, state: str = Query("", max_length=30)) -> Response:
    return ctx.render("queue.html", **await _queue(ctx, state))


@router.get("/queue/rows")
async def queue_rows(ctx: CtxDep, state: str = Query("", max_length=30)) -> Response:
    """htmx: the queue table alone, refreshed every 30 s so countdowns stay current."""
    return ctx.render("queue_rows.html", **await _queue(ctx, state))


async def _ticket_page(ctx: CtxDep, number: str, problem: Problem | None = None,
                       form: dict[str, str] | None = None, action: str | None = None,
                       status: int = 200) -> Response:
    ticket = await ctx.section(f"{T}/tickets/{number}")
    timeline = await ctx.section(f"{T}/tickets/{number}/timeline") if ticket.ok else None
    return ctx.render("ticket.html", status=status, number=number, ticket=ticket,
                      timeline=timeline, problem=problem, form=form or {}, action=action)


@router.get("/tickets/{number}")
async def ticket_page(ctx: CtxDep, number: str) -> Response:
    return await _ticket_page(ctx, number)


def _text(form: dict[str, str], name: str) -> str | None:
    value = form.get(name, "").strip()
    return value or None


def _moment(value: str | None) -> str | None:
    """A `datetime-local` value is Shanghai wall-clock time; the API takes an offset."""
    if not value:
        return None
    return value + (":00" if len(value) == 16 else "") + "+08:00"


ACTIONS: dict[str, Any] = {
    "responses": lambda f: {"message": _text(f, "message")},
    "wait-for-customer": lambda f: {"note": _text(f, "note")},
    "customer-replies": lambda f: {"message": _text(f, "message")},
    "escalations": lambda f: {"to_level": f.get("to_level"), "to_staff_id": _text(f, "to_staff_id"),
                              "reason": _text(f, "reason"), "deadline": _moment(f.get("deadline"))},
    "transfers": lambda f: {"department": _text(f, "department"), "owner_id": _text(f, "owner_id"),
                            "reason": _text(f, "reason"), "deadline": _moment(f.get("deadline"))},
    "reassign": lambda f: {"to_staff_id": _text(f, "to_staff_id"), "reason": f.get("reason", "")},
    "rectification": lambda f: {"note": _text(f, "note")},
    "payment-notice": lambda f: {},
    "callbacks": lambda f: {
        "question": _text(f, "question"),
        "satisfaction": int(f["satisfaction"]) if f.get("satisfaction", "").isdigit() else None,
        **({"confirmation": {"kind": f.get("confirmation.kind"),
                             "value": _text(f, "confirmation.value")}}
           if _text(f, "confirmation.value") else {})},
    "close": lambda f: {},
    "links": lambda f: {"other_number": _text(f, "other_number")},
    "merge": lambda f: {"into_number": _text(f, "into_number")},
    "articles-used": lambda f: {"article_id": _text(f, "article_id"),
                                "version": int(f["version"]) if f.get("version", "").isdigit()
                                else None},
}


@router.post("/tickets/{number}/{action}")
async def ticket_action(ctx: CtxDep, form: FormDep, number: str, action: str) -> Response:
    build = ACTIONS.get(action)
    if build is None:
        return await _ticket_page(ctx, number, status=404, problem=Problem(
            404, "没有这个操作", f"工单不支持操作 {action}。"))
    answer = await ctx.act("POST", f"{T}/tickets/{quote(number)}/{action}", build(form))
    if not answer.ok:
        return await _ticket_page(ctx, number, problem=answer.problem, form=form, action=action,
                                  status=answer.status)
    return ctx.redirect(f"/tickets/{quote(number)}", "操作已完成")


@router.get("/customers/{customer_id}")
async def customer_page(ctx: CtxDep, customer_id: str) -> Response:
    customer = await ctx.section(f"{T}/customers/{customer_id}")
    tickets = await ctx.section(f"{T}/customers/{customer_id}/tickets")
    return ctx.render("customer.html", customer=customer, tickets=tickets)


@router.get("/kb")
async def knowledge(ctx: CtxDep, q: str = Query("", max_length=200)) -> Response:
    results = await ctx.section(f"{T}/articles/search", params={"q": q}) if q.strip() else None
    template = "kb_results.html" if ctx.request.headers.get("HX-Request") else "kb.html"
    return ctx.render(template, q=q, results=results)


@router.get("/kb/{article_id}")
async def article(ctx: CtxDep, article_id: str) -> Response:
    found = await ctx.section(f"{T}/articles/{article_id}")
    return ctx.render("article.html", article=found)


@router.get("/review")
async def review(ctx: CtxDep) -> Response:
    daily = await ctx.section(f"{T}/review/daily")
    return ctx.render("review.html", daily=daily)


@router.post("/review/reminders")
async def remind(ctx: CtxDep, form: FormDep) -> Response:
    answer = await ctx.act("POST", f"{T}/review/daily/reminders", {})
    if not answer.ok:
        daily = await ctx.section(f"{T}/review/daily")
        return ctx.render("review.html", status=answer.status, daily=daily,
                          problem=answer.problem)
    return ctx.redirect("/review", "已发送提醒")
