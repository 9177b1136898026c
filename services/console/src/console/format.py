"""How the console shows what the API answers: Shanghai times, yuan from fen, Chinese labels,
SLA clock states. Presentation only; no rule of the business is decided here."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

LABELS = {
    # tickets
    "number": "编号", "state": "状态", "kind": "类型", "priority": "优先级", "channel": "渠道",
    "assignee_id": "处理人", "customer_id": "客户", "description": "描述", "created_at": "创建时间",
    "grade": "投诉等级", "tier": "客户等级", "role": "岗位", "deadline": "截止时间",
    "importance": "重要性", "urgency": "紧急程度", "department": "部门", "subject": "投诉对象",
    "name": "名称", "phone": "电话", "email": "邮箱", "platform_ids": "平台账号",
    "address": "地址", "orders": "订单", "title": "标题", "version": "版本", "score": "得分",
    "tags": "标签", "body": "内容", "article_id": "文章", "summary": "摘要",
    "items": "商品", "card": "售后卡", "allowed_next": "可转到", "decision": "质量判定",
    # dead letters
    "id": "编号", "message_id": "消息编号", "type": "事件类型", "routing_key": "路由键",
    "error": "错误", "error_type": "错误类型", "permanent": "不可重试", "attempts": "尝试次数",
    "failed_at": "失败时间", "status": "状态",
    # logistics / hr
    "order_id": "订单号", "sku": "SKU", "quantity": "数量", "reason": "原因", "staff_id": "员工",
    "day": "日期", "shift": "班次", "month": "月份", "amount_fen": "金额", "amount": "分值",
    "points": "积分", "note": "备注", "at": "时间", "approver_id": "审批人",
    "colleague_id": "同事", "colleague_day": "同事日期", "leave_type": "请假类型",
    "request_id": "申请编号", "rule": "规则", "tracking_number": "运单号", "courier": "快递公司",
    "refund_fen": "退款金额", "total_fen": "合计", "receipt_id": "收货单", "task_id": "任务",
    "rma_number": "退换货单", "verdict": "检验结论", "clock_in": "上班打卡",
    "clock_out": "下班打卡", "late_minutes": "迟到(分)", "early_leave_minutes": "早退(分)",
    "updated_at": "更新时间", "opened_at": "创建时间", "owner_id": "负责人",
    "ticket_number": "工单", "next_action_at": "下次跟进", "overdue": "已逾期",
    "paid_fen": "实付金额", "items_fen": "商品金额", "postage_fen": "运费",
    "issued_at": "退款时间", "issued_by": "经办人", "refund_id": "退款单",
    "received_at": "收货时间", "customer_ref": "客户标识", "history": "记录",
    "display_name": "姓名", "team": "团队", "active": "在职",
    "supervisor_id": "主管", "point_fine_fen": "积分扣款", "cash_fines_fen": "罚款",
    "cash_awards_fen": "奖励", "award_fen": "奖金", "full_attendance_fen": "全勤奖",
    "performance_fen": "绩效", "team_fen": "团队奖惩", "net_fen": "合计", "dismissal": "辞退线",
    "created_by": "创建人", "reviewed_by": "复核人", "approved_by": "批准人",
    "approved_at": "批准时间", "people": "人员", "entry_ids": "明细",
}

VALUES = {
    "new": "新建", "open": "处理中", "pending_customer": "等待客户", "escalated": "已升级",
    "transferred": "已转交", "rectified": "已整改", "awaiting_callback": "待回访",
    "closed": "已关闭", "merged": "已合并", "consultation": "咨询", "complaint": "投诉",
    "suggestion": "建议", "aftersales": "售后", "presales": "售前", "special_service": "特殊服务",
    "major": "重大", "general": "一般", "high": "高", "low": "低", "medium": "中",
    "im": "在线", "web": "网页", "email": "邮件", "dead": "待处理", "replayed": "已重放",
    "discarded": "已丢弃", "pending": "待处理", "approved": "已批准", "refused": "已驳回",
    "accepted": "已接受", "declined": "已拒绝", "cancelled": "已撤销", "draft": "草稿",
    "reviewed": "已复核", "awaiting_colleague": "待同事确认",
    "awaiting_supervisor": "待主管审批", "swap": "调班", "leave": "请假",
    "missed_punch": "补卡", "offline": "离线", "return": "退货", "exchange": "换货",
}

ROLE_NAMES = {
    "presales": "售前客服", "aftersales": "售后客服", "order_desk": "订单组",
    "warehouse": "仓库", "supervisor": "主管", "manager": "经理", "hr_admin": "人事管理员",
    "ops_admin": "运维管理员",
}

METRIC_NAMES = {
    "first_response": "首次响应", "rectification": "整改", "callback": "回访",
    "payment_notice": "付款通知", "special_callback": "特殊服务回访",
}

TRANSITION_NAMES = {
    "open": "答复客户", "pending_customer": "等待客户回复", "escalated": "升级",
    "transferred": "转交部门", "rectified": "记录整改", "awaiting_callback": "待回访",
    "closed": "关闭工单", "merged": "合并到其他工单",
}


def label(name: str) -> str:
    return LABELS.get(name, name)


def value_label(value: Any) -> Any:
    return VALUES.get(value, value) if isinstance(value, str) else value


def parse_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def shanghai(value: Any, with_seconds: bool = False) -> str:
    """An API time as Shanghai wall-clock time, e.g. `2026-11-26 10:00`."""
    moment = parse_time(value)
    if moment is None:
        return "—" if value in (None, "") else str(value)
    fmt = "%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M"
    return moment.astimezone(SHANGHAI).strftime(fmt)


def yuan(fen: Any) -> str:
    """An amount in fen as yuan: 12345 → `¥123.45`."""
    if isinstance(fen, bool) or not isinstance(fen, int | float):
        return "—"
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"


def cell(key: str, value: Any) -> str:
    """One value of a generic table, formatted by its field name."""
    if value is None or value == "":
        return "—"
    if key.endswith("_fen") and isinstance(value, int | float):
        return yuan(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str) and parse_time(value):
        return shanghai(value)
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return "、".join(str(value_label(v)) for v in value) or "—"
        return f"{len(value)} 项"
    if isinstance(value, dict):
        return "；".join(f"{label(k)}: {cell(k, v)}" for k, v in value.items()
                        if not isinstance(v, dict | list))
    return str(value_label(value))


def columns(rows: list[dict[str, Any]], limit: int = 12) -> list[str]:
    """The scalar fields of a list of records, in their first appearance order."""
    seen: list[str] = []
    for row in rows[:50]:
        for key, value in row.items():
            if key not in seen and not isinstance(value, dict):
                seen.append(key)
    return seen[:limit]


def sla_state(target: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """How one SLA clock stands, for its colour: `met` (green), `running` (on time),
    `warned` (amber), `breached` (red); with the time left or by how much it was missed."""
    now = now or datetime.now(UTC)
    due = parse_time(target.get("due_at"))
    warn = parse_time(target.get("warn_at"))
    met = parse_time(target.get("met_at"))
    name = METRIC_NAMES.get(target.get("metric", ""), target.get("metric", ""))
    if met is not None:
        late = target.get("breached_at") or (due is not None and met > due)
        return {"state": "breached" if late else "met", "name": name,
                "text": "超时后完成" if late else "已达成", "due": shanghai(due)}
    if target.get("breached_at") or (due is not None and now >= due):
        over = _duration((now - due).total_seconds()) if due else ""
        return {"state": "breached", "name": name, "text": f"已超时 {over}".strip(),
                "due": shanghai(due)}
    left = _duration((due - now).total_seconds()) if due else ""
    warned = target.get("warned_at") or (warn is not None and now >= warn)
    return {"state": "warned" if warned else "running", "name": name,
            "text": f"剩余 {left}", "due": shanghai(due)}


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}天{hours}小时"
    if hours:
        return f"{hours}小时{minutes}分"
    return f"{minutes}分钟" if minutes else f"{seconds}秒"


def today_shanghai() -> date:
    return datetime.now(SHANGHAI).date()


def this_month() -> str:
    return f"{today_shanghai():%Y-%m}"
