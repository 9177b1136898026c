"""The manager's reports (charts drawn as inline SVG on the server) and policy editing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from console.charts import bar_chart, line_chart
from console.format import SHANGHAI, today_shanghai
from console.pages.people import _download
from console.web import CtxDep, Section

router = APIRouter()
T, L, H = "/api/tickets", "/api/logistics", "/api/hr"
WEEKS = 6


def _weighted(agents: list[dict[str, Any]], key: str) -> float | None:
    """The period's rate over all agents, each weighted by the tickets they handled."""
    pairs = [(a[key], a.get("tickets_handled") or 0) for a in agents if a.get(key) is not None]
    total = sum(w for _, w in pairs)
    return round(100 * sum(r * w for r, w in pairs) / total, 1) if total else None


@router.get("/reports")
async def reports(ctx: CtxDep, start: date | None = Query(None),
                  end: date | None = Query(None)) -> Response:
    end = end or today_shanghai()
    start = start or end - timedelta(days=7 * WEEKS - 1)
    # SLA met per metric, week by week (the API's per-period report, one call per week).
    labels: list[str] = []
    first: list[float | None] = []
    rectify: list[float | None] = []
    sla_problem: Section | None = None
    week = start
    while week <= end:
        last = min(end, week + timedelta(days=6))
        section = await ctx.section(f"{T}/reports/agents",
                                    params={"from": week.isoformat(), "to": last.isoformat()})
        if not section.ok:
            sla_problem = section
            break
        agents = section.data.get("agents", [])
        labels.append(f"{week:%m-%d}")
        first.append(_weighted(agents, "first_response_hit_rate"))
        rectify.append(_weighted(agents, "resolution_sla_hit_rate"))
        week = last + timedelta(days=1)
    sla_chart = line_chart("SLA 达成率（按周）", labels,
                           {"首次响应": first, "整改": rectify}, y_max=100) \
        if sla_problem is None else None

    period = await ctx.section(f"{T}/reports/agents",
                               params={"from": start.isoformat(), "to": end.isoformat()})
    satisfaction = None
    if period.ok:
        satisfaction = bar_chart("客服满意度（平均分，1–5）", [
            (a["agent_id"], round(a["average_satisfaction"], 2))
            for a in period.data.get("agents", []) if a.get("average_satisfaction") is not None])

    complaints = await ctx.section(f"{T}/complaints/summary",
                                   params={"from": start.isoformat(), "to": end.isoformat()})
    complaints_chart = None
    if complaints.ok:
        by_grade: dict[str, float] = defaultdict(float)
        for group in complaints.data.get("groups", []):
            by_grade[{"major": "重大", "general": "一般"}.get(group.get("grade"),
                                                           str(group.get("grade")))] += \
                group.get("count", 0)
        complaints_chart = bar_chart("投诉（按等级）", sorted(by_grade.items()), " 件")

    start_at = datetime(start.year, start.month, start.day, tzinfo=SHANGHAI)
    end_at = datetime(end.year, end.month, end.day, tzinfo=SHANGHAI) + timedelta(days=1)
    returns_params = {"start": start_at.isoformat(), "end": end_at.isoformat()}
    returns = await ctx.section(f"{L}/reports/returns", params=returns_params)
    returns_charts = _returns_charts(returns.data) if returns.ok else []

    return ctx.render("reports.html", start=start, end=end, sla_chart=sla_chart,
                      sla_problem=sla_problem, period=period, satisfaction=satisfaction,
                      complaints=complaints, complaints_chart=complaints_chart,
                      returns=returns, returns_charts=returns_charts,
                      returns_params=returns_params)


def _returns_charts(report: Any) -> list[Any]:
    """One bar chart per breakdown the logistics report gives (by reason, by SKU, ...)."""
    if not isinstance(report, dict):
        return []
    titles = {"by_reason": "退换货（按原因）", "by_sku": "退换货（按 SKU）",
              "by_verdict": "退换货（按检验结论）"}
    charts = []
    for key, rows in report.items():
        if not (isinstance(rows, list) and rows and isinstance(rows[0], dict)):
            continue
        name_key = next((k for k, v in rows[0].items() if isinstance(v, str)), None)
        value_key = next((k for k in ("count", "rmas", "units", "quantity", "total")
                          if isinstance(rows[0].get(k), int | float)), None)
        if name_key and value_key:
            bars = [(str(r.get(name_key)), float(r.get(value_key) or 0)) for r in rows[:12]]
            charts.append(bar_chart(titles.get(key, key), bars))
    return charts


@router.get("/reports/returns.xlsx")
async def returns_xlsx(ctx: CtxDep, start: str = Query(..., max_length=40),
                       end: str = Query(..., max_length=40)) -> Response:
    return await _download(ctx, f"{L}/reports/returns",
                           {"start": start, "end": end, "format": "xlsx"})


@router.get("/reports/agents.csv")
async def agents_csv(ctx: CtxDep, start: date = Query(...), end: date = Query(...)) -> Response:
    return await _download(ctx, f"{T}/reports/agents.csv",
                           {"from": start.isoformat(), "to": end.isoformat()})
