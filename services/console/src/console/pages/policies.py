"""The manager's policy editing: one typed form per policy the API offers.

Each form is read from the policy's API (the current values fill the fields) and posts the JSON
that API takes (`PUT` the whole policy, or `PATCH` the hr policy). Fields carry their unit and
the range the API accepts; the API decides: its problem is shown next to the field it names
(`errors[].field`, e.g. `in_stock_days`, `min_staff.cs_early`, `bands.0.upper`).

Which policies exist (see each service's OpenAPI): tickets' SLA policies, assignment strategy
and intake bound (T1, T2); logistics' ship-date promise (L13) and follow-up delays (L8, L12);
hr's one policy record (staffing, limits, fines, bands, bonuses, pay day; its shifts and
rotation order have their own editor, `shift_editor`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from console.api import Problem
from console.format import METRIC_NAMES, yuan
from console.pages import shift_editor
from console.pages.generic import F, body_of
from console.pages.shift_editor import ShiftEditor
from console.web import Ctx, CtxDep, FormDep, Section

router = APIRouter()
T, L, H = "/api/tickets", "/api/logistics", "/api/hr"

UNITS = (("staffed_minutes", "值班分钟"), ("working_days", "工作日"),
         ("calendar_days", "自然日"), ("calendar_weeks", "自然周"))
METRICS = tuple((k, METRIC_NAMES.get(k, k)) for k in (
    "first_response", "rectification", "callback", "survey_dispatch", "measures_return",
    "payment_notice"))


@dataclass(frozen=True)
class PolicyForm:
    key: str
    title: str
    api: str
    method: str  # PUT: the whole policy; PATCH: the fields sent
    fields: tuple[F, ...] = ()
    note: str = ""
    more: Callable[[dict[str, Any]], tuple[F, ...]] | None = None
    """Fields that depend on the current policy (one per shift, one row per band)."""

    def all_fields(self, data: Any) -> tuple[F, ...]:
        extra = self.more(data) if self.more and isinstance(data, dict) else ()
        return (*self.fields, *extra)


def _min_staff(data: dict[str, Any]) -> tuple[F, ...]:
    names = {s.get("code"): s.get("name") for s in data.get("shifts") or []}
    codes = list(dict.fromkeys([*names, *(data.get("min_staff") or {})]))
    return tuple(F(f"min_staff.{code}", f"{names.get(code) or code} 最低值班人数", "int",
                   unit="人", hint="0–1000", required=True) for code in codes if code)


def _bands(data: dict[str, Any]) -> tuple[F, ...]:
    fields: list[F] = []
    for i, _ in enumerate(data.get("bands") or []):
        fields += [F(f"bands.{i}.upper", f"第 {i + 1} 档 积分上限", "int", unit="分",
                     required=True),
                   F(f"bands.{i}.lower", f"第 {i + 1} 档 积分下限", "int", unit="分",
                     required=True),
                   F(f"bands.{i}.fen_per_point", f"第 {i + 1} 档 每分扣款", "fen",
                     required=True)]
    return tuple(fields)


def _hr_more(data: dict[str, Any]) -> tuple[F, ...]:
    return (*_min_staff(data), *_bands(data))


DAYS = "天"
FORMS: tuple[PolicyForm, ...] = (
    PolicyForm("assignment", "工单分配方式（T1）", f"{T}/assignment-policy", "PUT", (
        F("strategy", "新工单分给值班客服的方式", "select", required=True,
          options=(("round_robin", "轮流分配"), ("least_loaded", "优先分给手上工单最少的人"))),),
        note="对之后新建的工单生效。"),
    PolicyForm("intake", "补录时限（T2）", f"{T}/intake-policy", "PUT", (
        F("max_asked_age_hours", "客户提问距补录的最长时间", "int", unit="小时", hint="1–744",
          required=True),),
        note="新建工单的提问时间不得早于此时限；已开的工单不受影响。"),
    PolicyForm("promise", "发货承诺（L13）", f"{L}/policies/promise", "PUT", (
        F("cutoff", "截单时间（此前付款当天发货）", "time", hint="上海时间，如 16:00",
          required=True),
        F("in_stock_days", "有货时发货天数", "int", unit=DAYS, hint="0–30", required=True),
        F("out_of_stock_days", "缺货时发货天数", "int", unit=DAYS, hint="0–60", required=True),
        F("handmade_hours", "手工制作时长", "int", unit="小时", hint="1–1440", required=True),
        F("handmade_patterns", "手工制作的 SKU", "lines",
          hint="每行一个，可用通配符，如 WOOL-*；最多 200 个"),
        F("ships_on_non_working_days", "非工作日也发货", "bool")),
        note="售前回答客户发货日期时使用；保存后所有实例立即按新规则回答。"),
    PolicyForm("follow-up", "跟进间隔（L8、L12）", f"{L}/policies/follow-up", "PUT", tuple(
        F(name, label, "int", unit="小时", hint="1–1440", required=True)
        for name, label in (
            ("rma_opened_hours", "退换货单已开：等待顾客寄回"),
            ("rma_in_transit_hours", "顾客已寄回（有运单号）"),
            ("rma_received_hours", "已收货：待退款或换货"),
            ("rma_disputed_hours", "验货未通过：争议处理"),
            ("exchange_delivery_hours", "换货已发出：跟进签收（L8）"),
            ("recall_requested_hours", "已向快递申请拦截"),
            ("recall_courier_accepted_hours", "快递已接受拦截"),
            ("recall_returning_hours", "拦截件退回途中"),
            ("recall_parcel_received_hours", "原件已退回：待退款"),
            ("reshipment_hours", "补发：跟进退回与签收（L12）"))),
        note="每类未结案件的负责人隔多久再跟进；新间隔用于之后的每一步，已定的下次跟进时间不变。"),
    PolicyForm("hr", "人事规则", f"{H}/policy", "PATCH", (
        F("rotation_days", "轮换周期", "int", unit=DAYS, hint="1–31", required=True),
        F("missed_punch_days", "补卡期限（H4）", "int", unit=DAYS, hint="0–31", required=True),
        F("missed_punches_per_month", "每月补卡次数上限（H4）", "int", unit="次",
          hint="0–1000", required=True),
        F("swaps_per_month", "每月调班次数上限（H6）", "int", unit="次", hint="0–1000",
          required=True),
        F("leave_notice_days", "普通请假提前天数（H11）", "int", unit=DAYS, hint="0–60",
          required=True),
        F("emergency_notice_minutes", "紧急请假提前时间（H11）", "int", unit="分钟",
          hint="0–1440", required=True),
        F("missed_punch_fine_fen", "缺卡罚款", "fen", required=True),
        F("leaving_post_fine_fen", "离岗罚款", "fen", required=True),
        F("presence_offline_fine_fen", "未经批准离线罚款", "fen", required=True),
        F("dismissal_below", "辞退线（积分低于此值）", "int", unit="分", hint="0–1000",
          required=True),
        F("award_at", "奖励线（积分达到此值）", "int", unit="分", hint="0–1000",
          required=True),
        F("award_fen", "积分奖励", "fen", required=True),
        F("full_attendance_fen", "全勤奖", "fen", required=True),
        F("performance_fen", "绩效奖金", "fen", required=True),
        F("team_bonus_fen", "团队奖励", "fen", required=True),
        F("team_penalty_fen", "团队处罚", "fen", required=True),
        F("pay_day", "发薪日（每月几号）", "int", unit="日", hint="1–28", required=True)),
        note="只有改动的规则会生效到之后的排班、考勤与结算；班次定义与轮换顺序在下方单独保存。",
        more=_hr_more),
)
BY_KEY = {form.key: form for form in FORMS}


def _lookup(data: Any, name: str) -> Any:
    node = data
    for part in name.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def form_values(fields: tuple[F, ...], data: Any) -> dict[str, str]:
    """The policy the API answered, as the form shows it (yuan from fen, HH:MM, one per line)."""
    values: dict[str, str] = {}
    for f in fields:
        value = _lookup(data, f.name)
        if value is None:
            continue
        if f.kind == "fen" and isinstance(value, int):
            values[f.name] = f"{value / 100:.2f}"
        elif f.kind == "bool":
            values[f.name] = "on" if value else ""
        elif f.kind == "time":
            values[f.name] = str(value)[:5]
        elif f.kind == "lines" and isinstance(value, list):
            values[f.name] = "\n".join(str(v) for v in value)
        else:
            values[f.name] = str(value)
    return values


_NUMBER = re.compile(r"(\d+)")


def _in_yuan(problem: Problem, fields: tuple[F, ...]) -> Problem:
    """The API states money limits in fen; the form asks for yuan, so say them in yuan."""
    fen = {f.name for f in fields if f.kind == "fen"}
    for name, reason in list(problem.fields.items()):
        if name in fen:
            problem.fields[name] = _NUMBER.sub(lambda m: yuan(int(m.group(1))), reason)
    return problem


async def _page(ctx: Ctx, problem: Problem | None = None, which: str | None = None,
                posted: dict[str, str] | None = None, status: int = 200,
                shifts: ShiftEditor | None = None) -> Response:
    sla = await ctx.section(f"{T}/sla-policies")
    sections: dict[str, Section] = {f.key: await ctx.section(f.api) for f in FORMS}
    forms = []
    for form in FORMS:
        section = sections[form.key]
        fields = form.all_fields(section.data) if section.ok else ()
        values = form_values(fields, section.data) if section.ok else {}
        mine = which == form.key
        if mine and posted is not None:
            values = {**values, **{f.name: posted.get(f.name, "") for f in fields}}
        p = problem if mine else None
        shown = {f.name for f in fields}
        others = {k: v for k, v in (p.fields.items() if p else []) if k not in shown}
        forms.append({"form": form, "section": section, "fields": fields, "current": values,
                      "problem": p, "others": others})
    return ctx.render("policies.html", status=status, sla=sla, forms=forms,
                      problem=problem if which == "sla" else None, posted=posted or {},
                      units=UNITS, metrics=METRICS, unit_names=dict(UNITS),
                      metric_names=dict(METRICS), match_options=MATCH_OPTIONS,
                      hr=sections["hr"], shifts=shifts or shift_editor.editor_of(
                          sections["hr"].data if sections["hr"].ok else None),
                      roles=shift_editor.ROLES, period_rows=range(shift_editor.PERIODS))


@router.get("/policies")
async def policies(ctx: CtxDep) -> Response:
    return await _page(ctx)


SLA_FIELDS = (F("metric", "指标", "select", options=METRICS, required=True),
              F("amount", "时限数值", "int", required=True),
              F("unit", "单位", "select", options=UNITS, required=True),
              F("warn_before_ratio", "预警比例", "number"))
MATCH = ("kind", "grade", "tier", "channel")
MATCH_OPTIONS = {
    "kind": (("", "不限"), ("consultation", "咨询"), ("complaint", "投诉"), ("suggestion", "建议"),
             ("aftersales", "售后"), ("special_service", "特殊服务")),
    "grade": (("", "不限"), ("major", "重大"), ("general", "一般")),
    "channel": (("", "不限"), ("phone", "电话"), ("im", "在线"), ("email", "邮件"),
                ("visit", "到访"), ("web", "网页")),
}


@router.post("/policies/sla")
async def save_sla(ctx: CtxDep, form: FormDep) -> Response:
    name = form.get("name", "").strip()
    body, _, errors = body_of(SLA_FIELDS, form)
    if not name:
        errors["name"] = "必填"
    body["applies_to"] = {k: form[f"applies_to.{k}"].strip() for k in MATCH
                          if form.get(f"applies_to.{k}", "").strip()}
    if errors:
        return await _page(ctx, Problem(422, "请检查填写的内容", "有字段未填写或格式不对。",
                                        fields=errors), "sla", form, 422)
    answer = await ctx.act("PUT", f"{T}/sla-policies/{name}", body)
    if not answer.ok:
        return await _page(ctx, answer.problem, "sla", form, answer.status)
    return ctx.redirect("/policies", f"SLA 策略 {name} 已保存")


@router.post("/policies/hr/shifts")
async def save_shifts(ctx: CtxDep, form: FormDep) -> Response:
    """H2: the shifts and rotation order (`add` shows one blank row more, nothing is sent)."""
    if form.get("op") == "add":
        return await _page(ctx, shifts=shift_editor.editor_posted(form, add=True))
    editor = shift_editor.editor_posted(form)
    sent = shift_editor.body_of(editor)
    answer = await ctx.act("PATCH", f"{H}/policy", sent.body)
    if not answer.ok and answer.problem is not None:
        editor.problem = shift_editor.on_rows(answer.problem, sent)
        return await _page(ctx, status=answer.status, shifts=editor)
    return ctx.redirect("/policies", "班次定义与轮换顺序已保存")


@router.post("/policies/{key}")
async def save_policy(ctx: CtxDep, form: FormDep, key: str) -> Response:
    policy = BY_KEY.get(key)
    if policy is None:
        return Response(status_code=404)
    current = await ctx.section(policy.api)
    fields = policy.all_fields(current.data) if current.ok else policy.fields
    body, _, errors = body_of(fields, form)
    if errors:
        problem = Problem(422, "请检查填写的内容", "有字段未填写或格式不对。", fields=errors)
        return await _page(ctx, problem, key, form, 422)
    answer = await ctx.act(policy.method, policy.api, body)
    if not answer.ok and answer.problem is not None:
        return await _page(ctx, _in_yuan(answer.problem, fields), key, form, answer.status)
    return ctx.redirect("/policies", f"{policy.title}已保存")
