"""Everyone's own attendance, requests and points; supervisors' approvals, team roster, team
points and settlement; the manager's settlement approval and payroll export. Coded against the
hr API's routes (`/api/hr/...`); while hr is not there the pages say so."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from markupsafe import Markup, escape

from console.format import cell, this_month, today_shanghai
from console.pages.generic import Action, F, Listing, Page, RowAction, mount
from console.session import CSRF_FIELD, csrf_token
from console.web import Ctx, CtxDep, Section

router = APIRouter()
H = "/api/hr"
PLANNERS = frozenset({"supervisor", "manager"})
MONTH = F("month", "月份", "month", default=lambda ctx: this_month())
REASON = F("reason", "原因", "textarea")
PENDING = ("awaiting_colleague", "awaiting_supervisor")
APPROVER = F("approver_id", "审批人（直属主管工号）", required=True)

def _clock_in(ctx: Ctx, sections: dict[str, Section]) -> Markup:
    """Today at a glance: my shift (from hr's duty list) and the clock-in button."""
    duty = sections.get("今日在岗")
    if duty is None or not duty.ok:
        today = '<p class="muted">今日班次暂时无法显示。</p>'
    else:
        mine = [r for r in duty.data or [] if isinstance(r, dict)
                and r.get("staff_id") == ctx.session.staff_id]
        shifts = "、".join(str(cell("shift", r.get("shift"))) for r in mine)
        today = (f"<p>今天（{escape(today_shanghai().isoformat())}）："
                 f"<strong id=\"today-shift\">{escape(shifts or '没有排班')}</strong></p>")
    return Markup(  # noqa: S704 - every value above is escaped
        f'<section class="card" id="clock-in"><h2>今天</h2>{today}'
        f'<form method="post" action="/me/attendance/do/punch">'
        f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf_token(ctx.request))}">'
        f'<button type="submit" class="punch">打卡（上班/下班）</button></form>'
        f'<p class="muted">上班前打一次、下班后打一次；打卡时间以系统时间为准，不可修改（H3）。</p>'
        f"</section>")


def _my_entries(ctx: Ctx, rosters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """My days in the month's published rosters, in date order."""
    mine = [entry for roster in rosters if roster.get("status") == "published"
            for entry in roster.get("entries") or []
            if isinstance(entry, dict) and entry.get("staff_id") == ctx.session.staff_id]
    return sorted(mine, key=lambda entry: str(entry.get("day")))


ATTENDANCE = Page(
    path="/me/attendance", title="我的排班与打卡", query=(MONTH,),
    listings=(
        Listing("今日在岗", f"{H}/duty", params=lambda ctx: {"day": today_shanghai().isoformat()},
                cols=("staff_id", "shift", "day"), use_query=False,
                filter=lambda ctx, row: row.get("staff_id") == ctx.session.staff_id),
        Listing("我的本月排班", f"{H}/rosters", expand=_my_entries,
                cols=("day", "shift", "holiday_duty", "swap_id")),
        Listing("本月出勤", f"{H}/attendance/{{me}}",
                cols=("day", "shift", "status", "clock_in", "clock_out", "late_minutes",
                      "early_leave_minutes", "missing")),
    ),
    actions=(Action("punch", "打卡", f"{H}/punches", button="打卡（上班/下班）",
                    done="打卡成功", shown=False),),
    insert=_clock_in,
)

def _with_refusal(row: dict[str, Any]) -> dict[str, Any]:
    """The reason given when the request was refused or declined (the decision's note)."""
    refused = [h for h in row.get("history") or [] if isinstance(h, dict)
               and h.get("action") in ("refuse", "decline")]
    if not refused:
        return row
    note = refused[-1].get("note") or "（未填写原因）"
    return {**row, "refusal": f"{refused[-1].get('by', '')}：{note}"}


REQUESTS = Page(
    path="/me/requests", title="调班、请假与补卡",
    note="被驳回的申请会显示驳回原因（规则编号与说明）。",
    listings=(Listing("我的申请", f"{H}/requests",
                      params=lambda ctx: {"staff_id": ctx.session.staff_id},
                      cols=("request_id", "kind", "state", "day", "colleague_id", "approver_id",
                            "reason", "refusal", "created_at"),
                      shape=_with_refusal,
                      row_actions=(RowAction("decide", "撤销",
                                             from_row={"request_id": "request_id"},
                                             fixed={"action": "cancel"},
                                             when=lambda r: r.get("state") in PENDING),)),
              Listing("请我确认的调班", f"{H}/requests",
                      params=lambda ctx: {"state": "awaiting_colleague"},
                      filter=lambda ctx, r: r.get("colleague_id") == ctx.session.staff_id,
                      cols=("request_id", "staff_id", "day", "colleague_day", "reason"),
                      row_actions=(
                          RowAction("decide", "接受", from_row={"request_id": "request_id"},
                                    fixed={"action": "accept"}),
                          RowAction("decide", "拒绝", from_row={"request_id": "request_id"},
                                    fixed={"action": "decline"}, style="danger"))),
              ),
    actions=(
        Action("swap", "申请调班", f"{H}/requests/swaps",
               fields=(F("day", "我的日期", "date", required=True),
                       F("colleague_id", "同事工号", required=True),
                       F("colleague_day", "同事的日期", "date", required=True), APPROVER, REASON),
               done="调班申请已提交"),
        Action("leave", "申请请假", f"{H}/requests/leave",
               fields=(F("day", "日期", "date", required=True),
                       F("leave_type", "类型", "select",
                         options=(("ordinary", "普通请假"), ("emergency", "紧急请假"))),
                       F("cover_id", "顶班同事工号"), APPROVER, REASON), done="请假申请已提交"),
        Action("missed-punch", "补卡申请", f"{H}/requests/missed-punches",
               fields=(F("day", "日期", "date", required=True),
                       F("side", "补哪一次", "select", options=(("in", "上班"), ("out", "下班"))),
                       F("punch_at", "实际时间", "datetime", required=True), APPROVER, REASON),
               done="补卡申请已提交"),
        Action("decide", "处理申请", f"{H}/requests/{{request_id}}/decisions",
               fields=(F("request_id", "申请", "hidden", path=True),
                       F("action", "操作", "hidden"), F("note", "备注", "hidden")),
               done="已处理"),
    ),
)

POINTS = Page(
    path="/me/points", title="我的积分与结算", query=(MONTH,),
    listings=(Listing("积分明细", f"{H}/ledger/{{me}}",
                      cols=("at", "kind", "amount", "rule", "source", "author", "note")),
              Listing("本月结算", f"{H}/settlements/{{month}}", detail=True)),
)

APPROVALS = Page(
    path="/approvals", title="审批收件箱", note="待您审批的调班、请假、补卡与离线申请。",
    listings=(Listing("待审批", f"{H}/requests",
                      params=lambda ctx: {"state": "awaiting_supervisor"},
                      filter=lambda ctx, r: r.get("approver_id") == ctx.session.staff_id,
                      cols=("request_id", "kind", "staff_id", "day", "colleague_id", "state",
                            "reason", "created_at"),
                      row_actions=(
                          RowAction("decide", "批准", from_row={"request_id": "request_id"},
                                    fixed={"action": "approve"}),
                          RowAction("decide", "驳回", from_row={"request_id": "request_id"},
                                    fixed={"action": "refuse"}, style="danger",
                                    inputs=(F("note", "驳回原因"),)))),),
    actions=(Action("decide", "审批", f"{H}/requests/{{request_id}}/decisions",
                    fields=(F("request_id", "申请", "hidden", path=True),
                            F("action", "操作", "hidden"), F("note", "备注", "hidden")),
                    done="已审批"),),
)


def _staffing(ctx: Ctx, sections: dict[str, Section]) -> Markup | None:
    """Per day and shift: how many are rostered, against the policy's minimum (H12). hr
    refuses to publish or approve below it; this is the warning before that."""
    roster, policy = sections.get("本月排班"), sections.get("排班规则")
    if not (roster and roster.ok and policy and policy.ok):
        return None
    minimum: dict[str, int] = (policy.data or {}).get("min_staff") or {}
    counts: Counter[tuple[str, str]] = Counter()
    for r in roster.data or []:
        for e in r.get("entries", []):
            if e.get("shift") and e.get("shift") != "off":
                counts[(str(e.get("day")), str(e.get("shift")))] += 1
    short = sorted((day, shift, n, minimum[shift]) for (day, shift), n in counts.items()
                   if shift in minimum and n < minimum[shift])
    if not short:
        return Markup('<p class="notice">各班次人数均不低于最低值班人数。</p>')
    lines = "".join(f"<li>{escape(d)} {escape(s)}：{n} 人（最低 {m} 人）</li>"
                    for d, s, n, m in short)
    return Markup(f'<div class="warning" role="alert"><strong>低于最低值班人数</strong>'  # noqa: S704
                  f"<ul>{lines}</ul></div>")


TEAM_ROSTER = Page(
    path="/team/roster", title="团队排班", query=(MONTH,),
    listings=(Listing("本月排班", f"{H}/rosters",
                      cols=("roster_id", "team", "status", "version", "published_at"),
                      row_actions=(RowAction("publish", "发布", from_row={"roster_id": "roster_id"},
                                             when=lambda r: r.get("status") != "published"),)),
              Listing("排班规则", f"{H}/policy", detail=True, use_query=False)),
    actions=(Action("publish", "发布排班", f"{H}/rosters/{{roster_id}}/publish",
                    fields=(F("roster_id", "排班", "hidden", path=True),), done="排班已发布"),
             Action("generate", "生成月排班", f"{H}/rosters", roles=PLANNERS,
                    fields=(F("month", "月份", required=True, default=lambda ctx: this_month()),
                            F("team", "团队", required=True,
                              default=lambda ctx: ctx.session.team or "")),
                    done="已生成排班")),
    insert=_staffing,
)

TEAM_POINTS = Page(
    path="/team/points", title="团队积分", query=(MONTH,),
    listings=(Listing("团队成员本月数据", f"{H}/figures"),),
)

def _payroll_link(ctx: Ctx, sections: dict[str, Section]) -> Markup | None:
    month = ctx.request.query_params.get("month") or this_month()
    if ctx.session.role not in ("manager", "hr_admin"):
        return None
    return Markup(f'<p><a href="/settlements/{escape(month)}/payroll.xlsx" download>'  # noqa: S704
                  f"导出 {escape(month)} 工资表（XLSX）</a></p>")


SETTLEMENTS = Page(
    path="/settlements", title="月度结算", query=(MONTH,),
    note="主管起草并复核，经理批准后该月关闭；工资表可导出为 XLSX。",
    listings=(Listing("结算", f"{H}/settlements/{{month}}", detail=True),),
    actions=(
        Action("draft", "起草结算", f"{H}/settlements", roles=PLANNERS,
               fields=(F("month", "月份", required=True, default=lambda ctx: this_month()),),
               done="结算草稿已生成"),
        Action("review", "复核", f"{H}/settlements/{{month}}/review", roles=PLANNERS,
               fields=(F("month", "月份", required=True, path=True,
                         default=lambda ctx: ctx.request.query_params.get("month")
                         or this_month()),), done="已复核"),
        Action("approve", "批准结算", f"{H}/settlements/{{month}}/approve",
               roles=frozenset({"manager"}),
               fields=(F("month", "月份", required=True, path=True,
                         default=lambda ctx: ctx.request.query_params.get("month")
                         or this_month()),), done="结算已批准"),
    ),
    insert=_payroll_link,
)

for _page in (ATTENDANCE, REQUESTS, POINTS, APPROVALS, TEAM_ROSTER, TEAM_POINTS, SETTLEMENTS):
    mount(router, _page)


@router.get("/settlements/{month}/payroll.xlsx")
async def payroll(ctx: CtxDep, month: str = Path(..., pattern=r"^\d{4}-\d{2}$")) -> Response:
    """The XLSX as hr makes it, passed through."""
    return await _download(ctx, f"{H}/settlements/{month}/payroll.xlsx")


async def _download(ctx: Ctx, path: str, params: dict[str, Any] | None = None) -> Response:
    answer = await ctx.api.download(path, params)
    if not answer.ok:
        problem = answer.problem
        return ctx.render("message.html", status=answer.status, title="无法导出",
                          problem=problem)
    headers = {k: v for k, v in answer.headers.items()
               if k in ("content-type", "content-disposition")}
    return Response(answer.content, status_code=200, headers=headers)
