"""Which menu each role sees. The API decides what each person may do; the menu only leaves
out pages that would answer 403 for that role anyway."""

from __future__ import annotations

from dataclasses import dataclass

AGENTS = {"presales", "aftersales"}
SUPERVISORS = {"supervisor", "manager"}
OPERATORS = {"ops_admin", "manager"}


@dataclass(frozen=True)
class Item:
    path: str
    text: str


@dataclass(frozen=True)
class Group:
    title: str
    items: tuple[Item, ...]


def menu_for(role: str) -> list[Group]:
    groups: list[Group] = []
    if role in AGENTS or role in SUPERVISORS:
        groups.append(Group("工单", (
            Item("/queue", "我的队列" if role in AGENTS else "工单队列"),
            Item("/kb", "知识库"),
            Item("/rmas", "退换货"),
            Item("/parcel-tasks", "无主包裹"),
        )))
    if role in {"order_desk", "warehouse"}:
        groups.append(Group("订单与仓库", (
            Item("/recalls", "待签撤回/拦截"),
            Item("/exchange-orders", "待发换货"),
            Item("/receipts/new", "手工录入收货"),
        )))
    groups.append(Group("我的", (
        Item("/me/attendance", "排班与打卡"),
        Item("/me/requests", "调班/请假/补卡"),
        Item("/me/points", "积分与结算"),
    )))
    if role in SUPERVISORS:
        groups.append(Group("主管", (
            Item("/approvals", "审批收件箱"),
            Item("/team/roster", "团队排班"),
            Item("/review", "每日复盘"),
            Item("/team/points", "团队积分"),
            Item("/settlements", "结算草稿" if role == "supervisor" else "结算审批"),
        )))
    if role == "manager":
        groups.append(Group("经理", (
            Item("/policies", "策略设置"),
            Item("/reports", "报表"),
        )))
    if role in OPERATORS:
        groups.append(Group("运维", (Item("/dead-letters", "死信"),)))
    return groups


def allowed_paths(role: str) -> set[str]:
    return {item.path for group in menu_for(role) for item in group.items}
