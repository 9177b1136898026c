"""Returns and parcels: agents' RMAs and unidentified parcels; the order desk's and the
warehouse's recalls, exchange orders and hand-entered receipts. Coded against the logistics
API's routes (`/api/logistics/...`); while a route is missing the page says logistics is not
available."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import Response

from console.format import SHANGHAI
from console.pages.generic import Action, F, Listing, Page, RowAction, mount
from console.web import CtxDep

router = APIRouter()
L = "/api/logistics"
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

PARCELS = Page(
    path="/parcel-tasks", title="无主包裹",
    note="仓库收到但无法对应到退换货单的包裹（L6）：填写对应的退换货单号或拦截单号。",
    listings=(Listing("待认领的包裹", f"{L}/parcel-tasks",
                      cols=("task_id", "receipt_id", "received_at", "tracking_number",
                            "courier", "customer_ref", "note"),
                      row_actions=(RowAction("resolve", "认领", from_row={"task_id": "task_id"},
                                             inputs=(F("number", "退换货/拦截单号"),)),)),),
    actions=(Action("resolve", "认领包裹", f"{L}/parcel-tasks/{{task_id}}/resolution",
                    fields=(F("task_id", "任务", "hidden", path=True),
                            F("number", "退换货/拦截单号", required=True),
                            F("note", "备注")), done="包裹已认领"),),
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
                                    inputs=(F("signed_by", "签收人"),)),)),),
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

for _page in (RMAS, PARCELS, RECALLS, EXCHANGES, RECEIPTS):
    mount(router, _page)


@router.get("/rmas/{number}")
async def rma(ctx: CtxDep, number: str) -> Response:
    found = await ctx.section(f"{L}/rmas/{number}")
    refund = await ctx.section(f"{L}/rmas/{number}/refund") if found.ok else None
    timeline = await ctx.section(f"{L}/rmas/{number}/timeline") if found.ok else None
    return ctx.render("rma.html", number=number, rma=found, refund=refund, timeline=timeline)


@router.get("/recalls/{number}")
async def recall(ctx: CtxDep, number: str) -> Response:
    found = await ctx.section(f"{L}/recalls/{number}")
    timeline = await ctx.section(f"{L}/recalls/{number}/timeline") if found.ok else None
    return ctx.render("rma.html", number=number, rma=found, refund=None, timeline=timeline,
                      title="拦截单")
