"""Ops admin: dead letters of each service, with inspect, replay and discard."""

from __future__ import annotations

import json

from fastapi import APIRouter, Query
from fastapi.responses import Response

from console.api import Problem
from console.web import CtxDep, FormDep

router = APIRouter()
SERVICES = ("tickets", "logistics", "hr")
DEAD_ID = r"^[A-Za-z0-9_.:-]{1,100}$"
StatusQ = Query("dead", pattern="^(dead|replayed|discarded)$")


async def _page(ctx: CtxDep, status: str, problem: Problem | None = None,
                code: int = 200) -> Response:
    sections = {svc: await ctx.section(f"/api/{svc}/admin/dead-letters",
                                       params={"status": status, "limit": 100})
                for svc in SERVICES}
    return ctx.render("dead_letters.html", status=code, sections=sections,
                      wanted=status, problem=problem)


@router.get("/dead-letters")
async def dead_letters(ctx: CtxDep, status: str = StatusQ) -> Response:
    return await _page(ctx, status)


@router.get("/dead-letters/{service}/{dead_id}")
async def inspect(ctx: CtxDep, service: str, dead_id: str) -> Response:
    if service not in SERVICES:
        return Response(status_code=404)
    found = await ctx.section(f"/api/{service}/admin/dead-letters/{dead_id}")
    body = (json.dumps(found.data.get("body"), ensure_ascii=False, indent=2)
            if found.ok else "")
    template = ("dead_letter_detail.html" if ctx.request.headers.get("HX-Request")
                else "dead_letter.html")
    return ctx.render(template, service=service, letter=found, body=body)


@router.post("/dead-letters/{service}/{dead_id}/{action}")
async def act(ctx: CtxDep, form: FormDep, service: str, dead_id: str, action: str) -> Response:
    if service not in SERVICES or action not in ("replay", "discard"):
        return Response(status_code=404)
    answer = await ctx.act("POST", f"/api/{service}/admin/dead-letters/{dead_id}/{action}", {})
    if not answer.ok:
        return await _page(ctx, "dead", answer.problem, answer.status)
    done = "已重放" if action == "replay" else "已丢弃"
    return ctx.redirect("/dead-letters", f"{service} 死信 {dead_id} {done}")
