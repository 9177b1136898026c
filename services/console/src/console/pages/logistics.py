"""Returns and parcels: agents' RMAs and unidentified parcels; the order desk's and the
warehouse's recalls, exchange orders and hand-entered receipts. Coded against the logistics
API's routes (`/api/logistics/...`); while a route is missing the page says logistics is not
available."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response

from console.api import Problem
from console.format import SHANGHAI, timeline_label, value_label
from console.pages.generic import Action, F, Listing, Page, RowAction, body_of, mount
from console.web import Ctx, CtxDep, FormDep

router = APIRouter()
L = "/api/logistics"
RecordId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,80}$")]
DESK = frozenset({"order_desk", "warehouse", "supervisor", "manager"})
WAREHOUSE = frozenset({"warehouse", "supervisor", "manager"})


def _now_local(ctx: object) -> str:
    return datetime.now(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


RMAS = Page(
    path="/rmas", title="退换货",
    note="退换货单由物流服务管理；退款金额以元显示。",
    listings=(Listing("退换货单", f"{L}/rmas", params=lambda ctx: {"limit": 100},
                      cols=("number", "kind", "state", "order_id", "ticket_number", "owner_id",
                            "opened_at"), link="/rmas/"),),
)

RECALLS = Page(
    path="/recalls", title="待签撤回/拦截",
    note="发货后取消的订单：记录快递答复、双联拦截单，包裹退回后签收（L10）。",
    listings=(Listing("未完成的拦截单", f"{L}/recalls", link="/recalls/",
                      params=lambda ctx: {"open_only": "true"},
                      cols=("number", "state", "order_id", "tracking_number", "courier",
                            "paid_fen", "reason", "opened_at"),
                      row_actions=(
                          RowAction("parcel-received", "签收退回包裹",
                                    from_row={"number": "number"},
                                    inputs=(F("signed_by", "签收人"),),
                                    when=lambda r: r.get("state") in ("courier_accepted",
                                                                      "returning")),)),),
    actions=(
        Action("courier-answer", "记录快递答复", f"{L}/recalls/{{number}}/courier-answer",
               fields=(F("number", "拦截单号", path=True, required=True),
                       F("accepted", "快递同意拦截", "bool"), F("note", "备注"))),
        Action("slip", "记录双联拦截单", f"{L}/recalls/{{number}}/slip",
               fields=(F("number", "拦截单号", path=True, required=True),
                       F("slip_number", "拦截单编号", required=True),
                       F("courier_signed_by", "快递签字人", required=True))),
        Action("parcel-received", "签收退回包裹", f"{L}/recalls/{{number}}/parcel-received",
               fields=(F("number", "拦截单号", path=True, required=True),
                       F("signed_by", "签收人", required=True),
                       F("on", "签收日期", "date",
                         default=lambda ctx: datetime.now(SHANGHAI).date().isoformat()))),
    ),
)

EXCHANGES = Page(
    path="/exchange-orders", title="待发换货",
    note="待打印发出的换货（L8）：填写运单号后发货。",
    listings=(Listing("待发换货", f"{L}/exchange-orders", link="/rmas/",
                      cols=("number", "order_id", "ticket_number", "owner_id", "opened_at"),
                      row_actions=(RowAction("ship", "发货", from_row={"number": "number"},
                                             inputs=(F("tracking_number", "运单号"),
                                                     F("courier", "快递公司"))),)),),
    actions=(Action("ship", "换货发货", f"{L}/rmas/{{number}}/exchange/shipment",
                    fields=(F("number", "退换货单号", path=True, required=True),
                            F("tracking_number", "运单号", required=True),
                            F("courier", "快递公司")), done="已发货", roles=DESK),),
)

ITEM = (F("items.0.sku", "SKU", required=True), F("items.0.quantity", "数量", "int",
                                                   default="1"),
        F("items.0.intact", "外观完好", "bool"), F("items.0.box_complete", "包装齐全", "bool"),
        F("items.0.resellable", "可二次销售", "bool"), F("items.0.note", "检验备注"))

RECEIPTS = Page(
    path="/receipts/new", title="手工录入收货",
    note="仓库系统停机时手工录入收货与检验结果；同一收货单号重复提交不会重复入账。",
    actions=(Action("record", "收货与检验", f"{L}/receipts", roles=WAREHOUSE,
                    fields=(F("receipt_id", "收货单号", required=True),
                            F("received_at", "收货时间", "datetime", required=True,
                              default=_now_local),
                            F("rma_number", "退换货单号"), F("tracking_number", "运单号"),
                            F("courier", "快递公司"), F("customer_ref", "客户标识"),
                            *ITEM, F("inspector", "检验人", required=True,
                                     default=lambda ctx: ctx.session.staff_id),
                            F("signed_by", "签收人")),
                    button="录入", done="收货已录入"),),
)

for _page in (RMAS, RECALLS, EXCHANGES, RECEIPTS):
    mount(router, _page)


# -- The RMA and the recall as tasks: what stands, what happened, what may be done now ----------

@dataclass(frozen=True)
class Task:
    """One action on a record, offered when the record's state allows it."""

    key: str
    title: str
    api: str  # below the record, e.g. "/tracking"
    fields: tuple[F, ...] = ()
    method: str = "POST"
    button: str = "提交"
    done: str = "已完成"
    style: str = ""


PLATFORM = (("waiting_seller", "待卖家处理"), ("waiting_buyer_return", "待买家退货"),
            ("waiting_seller_confirm", "待卖家确认收货"), ("refunded", "已退款"),
            ("closed", "已关闭"))
RMA_STEPS = ("opened", "in_transit", "received", "refunded", "closed")
EXCHANGE_STEPS = ("opened", "in_transit", "received", "exchange_shipped", "exchange_delivered",
                  "closed")
RECALL_STEPS = ("requested", "courier_accepted", "returning", "parcel_received", "refunded")
TERMINAL = ("closed", "cancelled")
APPROVERS = frozenset({"supervisor", "manager"})


def rma_tasks(rma: dict[str, Any], refund: dict[str, Any] | None, role: str) -> list[Task]:
    """What the RMA's state allows (its `allowed_next`, as the API gives it)."""
    state = rma.get("state")
    allowed = set(rma.get("allowed_next") or [])
    if state in TERMINAL:
        return []
    tasks: list[Task] = []
    if rma.get("quality_claim") and not rma.get("decision"):
        tasks.append(Task("quality", "质量问题判定（L2）", "/quality-decision", (
            F("verdict", "判定", "select", required=True,
              options=(("confirmed", "质量问题属实"), ("rejected", "非质量问题"))),
            F("note", "说明")), button="提交判定", done="已判定"))
    if "in_transit" in allowed:
        tasks.append(Task("tracking", "登记退回运单（L5）", "/tracking", (
            F("tracking_number", "运单号", required=True), F("courier", "快递公司"),
            F("return_postage_fen", "客户垫付的退回运费", "fen")), button="登记",
            done="运单已登记"))
    if any(item.get("unit_paid_fen") is None for item in rma.get("items") or []):
        tasks.append(Task("amounts", "录入实付单价", "/amounts", tuple(
            F(f"amounts.{item['sku']}", f"{item['sku']} 实付单价", "fen", required=True)
            for item in rma.get("items") or [] if item.get("unit_paid_fen") is None),
            method="PUT", button="保存", done="单价已录入"))
    if state == "disputed":
        tasks.append(Task("dispute", "处理检验争议", "/dispute/settlement", (
            F("accept_rejected", "不合格的商品也退款", "bool"), F("note", "说明")),
            button="处理", done="争议已处理"))
    if "refunded" in allowed and refund is None and rma.get("kind") == "return":
        fields = (F("override_reason", "越过检验结果退款的原因（主管，L7）", "textarea"),) \
            if role in APPROVERS else ()
        tasks.append(Task("refund", "退款（L7）", "/refund", fields, button="退款",
                          done="已退款"))
    if rma.get("kind") == "exchange":
        if state in ("opened", "in_transit") and not rma.get("advance"):
            tasks.append(Task("advance", "批准先行换货（L8）", "/exchange/advance-approval", (
                F("reason", "原因", "textarea", required=True),), button="批准",
                done="已批准先行换货"))
        if "exchange_shipped" in allowed and (state == "received" or rma.get("advance")):
            tasks.append(Task("ship", "换货发出（L8）", "/exchange/shipment", (
                F("tracking_number", "运单号", required=True), F("courier", "快递公司")),
                button="发货", done="换货已发出"))
        if state == "exchange_shipped":
            tasks.append(Task("delivered", "换货已签收", "/exchange/delivery", (
                F("note", "说明"),), button="确认签收", done="已确认签收"))
    tasks.append(Task("platform", "平台退款状态", "/platform-status", (
        F("status", "平台上的状态", "select", required=True, options=PLATFORM,
          default=rma.get("platform_status") or "waiting_seller"),), method="PUT",
        button="更新", done="平台状态已更新"))
    tasks.append(Task("owner", "转交其他售后", "/owner", (
        F("owner_id", "新负责人工号", required=True),), method="PUT", button="转交",
        done="已转交"))
    if "closed" in allowed:
        tasks.append(Task("close", "关闭退换货单", "/close", (F("note", "说明"),),
                          button="关闭", done="已关闭"))
    if "cancelled" in allowed:
        tasks.append(Task("cancel", "取消退换货单", "/cancel", (
            F("reason", "取消原因", "textarea", required=True),), button="取消",
            done="已取消", style="danger"))
    return tasks


def recall_tasks(recall: dict[str, Any]) -> list[Task]:
    state = recall.get("state")
    today = datetime.now(SHANGHAI).date().isoformat()
    tasks: list[Task] = []
    if state == "requested":
        tasks.append(Task("courier-answer", "记录快递答复", "/courier-answer", (
            F("accepted", "快递同意拦截", "bool"), F("note", "备注")), button="记录",
            done="已记录快递答复"))
    if state == "courier_accepted" and not recall.get("slip"):
        tasks.append(Task("slip", "记录双联拦截单（L10）", "/slip", (
            F("slip_number", "拦截单编号", required=True),
            F("courier_signed_by", "快递签字人", required=True)), button="记录",
            done="已记录拦截单"))
    if state == "courier_accepted":
        tasks.append(Task("returning", "包裹已在退回途中", "/returning", (F("note", "备注"),),
                          button="确认", done="已标记退回中"))
    if state in ("courier_accepted", "returning"):
        tasks.append(Task("parcel-received", "签收退回包裹", "/parcel-received", (
            F("signed_by", "签收人", required=True), F("on", "签收日期", "date", required=True,
                                                    default=today)),
            button="签收", done="退回包裹已签收"))
    if state == "parcel_received":
        tasks.append(Task("refund", "退款", "/refund", (), button="退款", done="已退款"))
    if state in ("requested", "courier_accepted", "courier_refused", "returning"):
        tasks.append(Task("failure", "拦截失败", "/failure", (
            F("reason", "原因", "textarea", required=True),), button="记录失败",
            done="已记录拦截失败", style="danger"))
    return tasks


def _steps(order: tuple[str, ...], state: str | None) -> list[dict[str, str]]:
    at = order.index(state) if state in order else -1
    return [{"state": s, "text": str(value_label(s)),
             "class": "done" if i < at else "current" if i == at else ""}
            for i, s in enumerate(order)]


async def _rma_page(ctx: Ctx, number: str, problem: Problem | None = None,
                    action: str | None = None, form: dict[str, str] | None = None,
                    status: int = 200) -> Response:
    found = await ctx.section(f"{L}/rmas/{number}")
    refund = await ctx.section(f"{L}/rmas/{number}/refund") if found.ok else None
    timeline = await ctx.section(f"{L}/rmas/{number}/timeline") if found.ok else None
    rma = found.data if found.ok and isinstance(found.data, dict) else {}
    refund_data = refund.data if refund is not None and refund.ok else None
    tasks = rma_tasks(rma, refund_data, ctx.session.role) if rma else []
    steps = _steps(EXCHANGE_STEPS if rma.get("kind") == "exchange" else RMA_STEPS,
                   rma.get("state"))
    return ctx.render("rma.html", status=status, number=number, rma=found, refund=refund,
                      timeline=timeline, tasks=tasks, steps=steps, problem=problem,
                      action=action, form=form or {}, base=f"/rmas/{number}",
                      timeline_label=timeline_label, title="退换货单")


async def _recall_page(ctx: Ctx, number: str, problem: Problem | None = None,
                       action: str | None = None, form: dict[str, str] | None = None,
                       status: int = 200) -> Response:
    found = await ctx.section(f"{L}/recalls/{number}")
    timeline = await ctx.section(f"{L}/recalls/{number}/timeline") if found.ok else None
    recall = found.data if found.ok and isinstance(found.data, dict) else {}
    return ctx.render("rma.html", status=status, number=number, rma=found, refund=None,
                      timeline=timeline, tasks=recall_tasks(recall) if recall else [],
                      steps=_steps(RECALL_STEPS, recall.get("state")), problem=problem,
                      action=action, form=form or {}, base=f"/recalls/{number}",
                      timeline_label=timeline_label, title="拦截单")


@router.get("/rmas/{number}")
async def rma(ctx: CtxDep, number: RecordId) -> Response:
    return await _rma_page(ctx, number)


@router.get("/recalls/{number}")
async def recall(ctx: CtxDep, number: RecordId) -> Response:
    return await _recall_page(ctx, number)


@router.post("/rmas/{number}/do/{key}")
async def rma_act(ctx: CtxDep, form: FormDep, key: str, number: RecordId) -> Response:
    found = await ctx.section(f"{L}/rmas/{number}")
    refund = await ctx.section(f"{L}/rmas/{number}/refund") if found.ok else None
    tasks = rma_tasks(found.data, refund.data if refund and refund.ok else None,
                      ctx.session.role) if found.ok and isinstance(found.data, dict) else []
    return await _do(ctx, form, key, tasks, f"{L}/rmas/{number}", f"/rmas/{number}",
                     lambda *a: _rma_page(ctx, number, *a))


@router.post("/recalls/{number}/do/{key}")
async def recall_act(ctx: CtxDep, form: FormDep, key: str, number: RecordId) -> Response:
    found = await ctx.section(f"{L}/recalls/{number}")
    tasks = recall_tasks(found.data) if found.ok and isinstance(found.data, dict) else []
    return await _do(ctx, form, key, tasks, f"{L}/recalls/{number}", f"/recalls/{number}",
                     lambda *a: _recall_page(ctx, number, *a))


async def _do(ctx: Ctx, form: dict[str, str], key: str, tasks: list[Task], api: str,
              back: str, page: Callable[..., Awaitable[Response]]) -> Response:
    task = next((t for t in tasks if t.key == key), None)
    if task is None:
        problem = Problem(409, "当前状态不允许此操作", "页面已过期，请查看最新状态后再操作。")
        return await page(problem, None, form, 409)
    body, _, errors = body_of(task.fields, form)
    if errors:
        return await page(Problem(422, "请检查填写的内容", "有字段未填写或格式不对。",
                                  fields=errors), key, form, 422)
    answer = await ctx.act(task.method, api + task.api, body)
    if not answer.ok:
        return await page(answer.problem, key, form, answer.status)
    return ctx.redirect(back, task.done)


# -- Unidentified parcels (L6): each parcel a card with what the warehouse saw and a resolve form

RESOLVE = (F("number", "退换货单号或拦截单号", required=True,
             hint="如 RMA-20261130-0001 或 RC-20261130-0001"),
           F("note", "备注（如何确认的）"))


async def _parcels_page(ctx: Ctx, problem: Problem | None = None, task_id: str | None = None,
                        form: dict[str, str] | None = None, status: int = 200) -> Response:
    open_ = await ctx.section(f"{L}/parcel-tasks", params={"limit": 100})
    done = await ctx.section(f"{L}/parcel-tasks", params={"open_only": "false", "limit": 30})
    resolved = [t for t in (done.data or []) if isinstance(t, dict)
                and t.get("state") == "resolved"] if done.ok else []
    return ctx.render("parcels.html", status=status, open=open_, resolved=resolved,
                      done=done, fields=RESOLVE, problem=problem, task_id=task_id,
                      form=form or {})


@router.get("/parcel-tasks")
async def parcels(ctx: CtxDep) -> Response:
    return await _parcels_page(ctx)


@router.post("/parcel-tasks/{task_id}/resolve")
async def resolve_parcel(ctx: CtxDep, form: FormDep, task_id: RecordId) -> Response:
    body, _, errors = body_of(RESOLVE, form)
    if errors:
        return await _parcels_page(ctx, Problem(422, "请检查填写的内容", "有字段未填写或格式不对。",
                                                fields=errors), task_id, form, 422)
    answer = await ctx.act("POST", f"{L}/parcel-tasks/{task_id}/resolution", body)
    if not answer.ok:
        return await _parcels_page(ctx, answer.problem, task_id, form, answer.status)
    return ctx.redirect("/parcel-tasks", f"包裹已认领到 {body['number']}")
