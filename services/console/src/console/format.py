"""How the console shows what the API answers: Shanghai times, yuan from fen, Chinese labels,
SLA clock states. Presentation only; no rule of the business is decided here."""

from __future__ import annotations

import re
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
    # logistics, more
    "action": "操作", "actor_id": "操作人", "by": "操作人", "added": "新增", "added_at": "添加时间",
    "added_by": "添加人", "advance": "垫付", "amounts": "金额", "attendance": "出勤",
    "author": "记录人", "balance_fen": "余额", "box_complete": "包装齐全", "case_id": "案件",
    "code": "代码", "colleague_shift": "同事班次", "contact_name": "联系人",
    "contact_phone": "联系电话", "corrects": "更正", "courier_signed_by": "快递签字人",
    "cover_id": "顶班同事", "customer_advanced_fen": "客户垫付", "cutoff": "截单时间",
    "date": "日期", "decided_by_sku": "决定发货日的 SKU", "delivered_safely": "已妥投",
    "detail": "说明", "details": "详情", "direction": "方向", "dispute": "争议", "end": "结束",
    "entries": "明细", "entries_added": "新增明细", "entry_id": "明细编号",
    "exchange": "换货", "explained": "已说明", "fen_per_point": "每分扣款", "flag": "标记",
    "forwarding_number": "转寄单号", "forwarding_succeeded": "转寄成功",
    "holiday_duty": "节假日值班", "in_stock": "有货", "inspection": "检验",
    "inspector": "检验人", "intact": "外观完好", "late": "晚班", "lower": "下限",
    "matched_by": "匹配方式", "matched_kind": "匹配类型", "matched_number": "匹配单号",
    "missing": "缺卡", "new_tracking": "新运单号", "notes": "备注", "on": "日期",
    "opened_by": "创建人", "original_tracking": "原运单号", "outcome": "结果",
    "outgoing_leg_payer": "寄出运费承担方", "outgoing_postage_fen": "寄出运费",
    "override_reason": "例外原因", "owed_to_customer_fen": "应付客户", "paid_at": "付款时间",
    "periods": "时段", "photos": "照片", "platform_status": "平台状态", "postage": "运费",
    "printed": "已打印", "problem_case_id": "疑难件", "published_at": "发布时间",
    "published_by": "发布人", "punch_at": "打卡时间", "punch_id": "打卡编号",
    "quality_claim": "质量问题", "recall": "拦截单", "received": "已收货",
    "recorded_at": "记录时间", "recorded_by": "记录人", "resellable": "可二次销售",
    "resolved_at": "认领时间", "resolved_by": "认领人", "resolved_to": "认领到",
    "return_leg_payer": "退回运费承担方", "return_postage_fen": "退回运费",
    "roles": "岗位", "roster_id": "排班表", "satisfaction_avg": "平均满意度",
    "service_card": "售后卡", "ship_by": "最晚发货", "ship_date": "发货日期",
    "shop_pays_fen": "店铺承担", "side": "上/下班", "signed_by": "签收人", "skus": "SKU",
    "sla_breaches": "SLA 超时", "slip": "拦截单", "slip_number": "拦截单编号",
    "source": "来源", "start": "开始", "swap_id": "调班", "tickets": "工单",
    "unit_paid_fen": "单价（实付）", "upper": "上限", "void": "作废", "voided_at": "作废时间",
    "voided_by": "作废人", "wage_fen": "工资", "wanted_replacement": "想换的商品",
    "accepted": "已接受", "accept_rejected": "拒收",
    "case_type": "案件类型", "target_kind": "对象类型", "rotation_days": "轮换天数",
    "min_staff": "最低值班人数", "handmade_hours": "手工制作时长",
    "in_stock_days": "有货发货天数", "out_of_stock_days": "缺货发货天数",
    "handmade_patterns": "手工 SKU", "ships_on_non_working_days": "非工作日发货",
    "bands": "扣款档位", "shifts": "班次", "rotation": "轮换", "pay_day": "发薪日",
    "presence_away_points": "离开扣分", "complaint_points": "投诉扣分",
    "non_work_points": "非工作扣分", "start_points": "初始积分",
    "dismissal_below": "辞退线", "award_at": "奖励线",
    "missed_punch_days": "补卡期限（天）", "missed_punches_per_month": "每月补卡次数",
    "swaps_per_month": "每月调班次数", "leave_notice_days": "请假提前天数",
    "emergency_notice_minutes": "紧急请假提前（分钟）",
    "missed_punch_fine_fen": "缺卡罚款", "leaving_post_fine_fen": "离岗罚款",
    "presence_offline_fine_fen": "离线罚款", "team_bonus_fen": "团队奖励",
    "team_penalty_fen": "团队处罚", "max_asked_age_hours": "补录时限（小时）",
    "strategy": "分配方式", "published": "已发布", "cash_fines": "罚款",
    "origin": "来源", "rejected": "不合格", "passed": "检验通过", "problems": "问题",
    "from": "原状态", "to": "新状态", "override": "越过检验", "refusal": "驳回/拒绝原因",
    "request": "申请", "cover": "顶班", "from_state": "原状态", "to_state": "新状态",
    "message": "内容", "assigned_to": "分配给", "count": "数量",
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
    # logistics: RMAs, platform, recalls, parcels, receipts
    "opened": "待寄回", "in_transit": "退回途中", "received": "已收货", "disputed": "有争议",
    "refunded": "已退款", "exchange_shipped": "换货已发出", "exchange_delivered": "换货已签收",
    "waiting_seller": "待卖家处理", "waiting_buyer_return": "待买家退货",
    "waiting_seller_confirm": "待卖家确认收货", "requested": "已申请拦截",
    "courier_accepted": "快递已同意拦截", "courier_refused": "快递拒绝拦截",
    "returning": "退回中", "parcel_received": "退回包裹已签收", "failed": "失败",
    "resolved": "已认领", "rma": "退换货单", "recall": "拦截单", "rma_number": "退换货单号",
    "tracking_number": "运单号", "customer_ref": "客户标识", "staff": "人工认领",
    "shop": "店铺", "customer": "客户", "confirmed": "质量问题属实", "rejected": "非质量问题",
    "in_stock_before_cutoff": "有货，截单前付款", "in_stock_after_cutoff": "有货，截单后付款",
    "in_stock_non_shipping_day": "有货，非发货日", "out_of_stock": "缺货",
    "handmade": "手工制作", "problem": "疑难件", "forwarded": "已转寄", "delivered": "已妥投",
    "awaiting_return": "待退回", "returned": "已退回", "reshipped": "已补发",
    "problem_parcel": "疑难件", "reshipment": "补发",
    # hr: presence, requests, rosters, ledger, attendance
    "online": "在线", "away": "离开", "invisible": "隐身", "accept": "接受", "decline": "拒绝",
    "approve": "批准", "refuse": "驳回", "cancel": "撤销", "create": "提交",
    "created": "已提交", "ordinary": "普通请假", "emergency": "紧急请假",
    "published": "已发布", "points": "积分", "money": "金额", "flag": "标记",
    "full_attendance_lost": "失去全勤", "dismissal": "达到辞退线", "warning": "警告",
    "self": "自助打卡", "device": "考勤机", "on_time": "正常", "late": "迟到",
    "early_leave": "早退", "late_early": "迟到且早退", "absent": "缺勤",
    "missing_punch": "缺卡", "upcoming": "未开始",
    "cs_early": "客服早班", "cs_late": "客服晚班", "desk_early": "打单早班", "off": "休息",
    "round_robin": "轮流分配", "least_loaded": "优先分给工作量最少的人",
    "customer_service": "客服组", "survey": "满意度调查", "phone": "电话", "visit": "到访",
}

KEYED_VALUES = {
    # the same API value means different things in different fields
    ("side", "in"): "上班", ("side", "out"): "下班",
    ("direction", "in"): "收入", ("direction", "out"): "支出",
    ("state", "open"): "处理中", ("state", "failed"): "失败",
    ("kind", "problem"): "疑难件", ("kind", "forwarded"): "转件",
    ("kind", "points"): "积分", ("kind", "money"): "金额", ("kind", "flag"): "标记",
    ("verdict", "confirmed"): "质量问题属实", ("verdict", "rejected"): "非质量问题",
}

REASON_NAMES = {
    # why hr refuses a request (the 409's `reason`)
    "no_cover": "普通请假需指定顶班同事", "offline_not_ahead": "离线须提前审批",
    "below_minimum_staffing": "低于最低值班人数", "not_direct_supervisor": "审批人不是直属主管",
    "no_direct_supervisor": "没有直属主管", "shift_started": "班次已开始",
    "swap_limit": "本月调班次数已用完", "consecutive_swaps": "不可连续调班",
    "holiday_duty": "节假日值班不可调换", "late_shift_leave": "晚班不可请假",
    "swapped_day_leave": "调班当天不可请假", "leave_notice": "请假未按规定提前",
    "missed_punch_late": "超过补卡期限", "missed_punch_limit": "本月补卡次数已用完",
    "fund_overdrawn": "团队基金余额不足",
}

ROLE_NAMES = {
    "presales": "售前客服", "aftersales": "售后客服", "order_desk": "订单组",
    "warehouse": "仓库", "supervisor": "主管", "manager": "经理", "hr_admin": "人事管理员",
    "ops_admin": "运维管理员",
}

METRIC_NAMES = {
    "first_response": "首次响应", "rectification": "整改", "callback": "回访",
    "payment_notice": "付款通知", "special_callback": "特殊服务回访",
    "survey_dispatch": "发送满意度调查", "measures_return": "整改措施回复",
}

TRANSITION_NAMES = {
    "open": "答复客户", "pending_customer": "等待客户回复", "escalated": "升级",
    "transferred": "转交部门", "rectified": "记录整改", "awaiting_callback": "待回访",
    "closed": "关闭工单", "merged": "合并到其他工单",
}


TIMELINE_NAMES = {
    # tickets
    "state_changed": "状态变更", "first_responded": "首次答复", "responded": "答复客户",
    "customer_replied": "客户回复", "customer_reply_recorded": "记录客户回复",
    "escalated": "升级", "transferred": "转交部门", "rectified": "记录整改",
    "closed": "关闭", "merged": "合并", "complaint_verified": "核实投诉",
    "callback_recorded": "记录回访", "article_used": "使用知识库文章",
    "suggestion_adopted": "采纳建议", "sla_warned": "SLA 预警", "sla_breached": "SLA 超时",
    "rma_opened": "创建退换货单", "rma_status_changed": "退换货单状态变更",
    "return_requested": "申请退货", "refund_issued": "已退款", "exchange_shipped": "换货已发出",
    "parcel_identified": "包裹已认领",
    # logistics
    "opened": "创建", "photos_added": "补充照片", "quality_decided": "质量判定",
    "amounts_entered": "录入实付单价", "platform_status": "平台状态更新", "reassigned": "转交",
    "advance_approved": "批准先行换货", "logged": "记录", "received": "收货",
    "requested": "申请拦截", "slip_recorded": "记录拦截单", "updated": "更新",
    "logistics": "物流更新", "tracking": "登记运单", "refund": "退款",
    "tracking_recorded": "登记退回运单", "courier_answered": "快递答复",
    "parcel_received": "签收退回包裹", "failed": "拦截失败", "cancelled": "已取消",
}


def timeline_label(action: Any) -> str:
    return TIMELINE_NAMES.get(action, value_label(action)) if action else "—"


def label(name: str) -> str:
    return LABELS.get(name, name)


def value_label(value: Any, key: str | None = None) -> Any:
    """The Chinese label of an API value (a state, kind, reason, role, shift); the value
    itself when it has none (free text, numbers, ids)."""
    if not isinstance(value, str):
        return value
    if key is not None and (key, value) in KEYED_VALUES:
        return KEYED_VALUES[(key, value)]
    if key in ("role", "roles"):
        return ROLE_NAMES.get(value, value)
    if key in ("reason",) and value in REASON_NAMES:
        return REASON_NAMES[value]
    return VALUES.get(value, value)


PROBLEM_TITLES = {
    # the API's problem types (the last part of `type`), as the person reads them
    "rule-refused": "规则不允许", "transition-refused": "当前状态不允许此操作",
    "invalid-state": "当前状态不允许此操作", "validation-failed": "填写内容有误",
    "validation-error": "填写内容有误", "forbidden": "没有权限", "not-allowed": "没有权限",
    "not-found": "未找到", "conflict": "与现有记录冲突", "callback-required": "需要先回访",
    "domain-error": "操作被拒绝", "idempotency-key-reused": "重复提交的内容不同",
    "idempotency-key-in-use": "同一请求正在处理", "busy": "系统繁忙，请稍后再试",
    "upstream-unavailable": "服务暂时不可用", "upstream-timeout": "服务响应超时",
    "token-revoked": "会话已结束", "token-expired": "会话已过期",
}


_REASONS = (
    (re.compile(r"^Field required$"), "必填"),
    (re.compile(r"^Input should be greater than or equal to (\S+)$"), "不能小于 {0}"),
    (re.compile(r"^Input should be less than or equal to (\S+)$"), "不能大于 {0}"),
    (re.compile(r"^Input should be greater than (\S+)$"), "应大于 {0}"),
    (re.compile(r"^Input should be less than (\S+)$"), "应小于 {0}"),
    (re.compile(r"^Input should be a valid integer"), "请输入整数"),
    (re.compile(r"^Input should be a valid number"), "请输入数字"),
    (re.compile(r"^Input should be a valid date"), "请输入有效日期"),
    (re.compile(r"^Input should be a valid time"), "请输入有效时间（时:分）"),
    (re.compile(r"^Input should be a valid datetime"), "请输入有效时间"),
    (re.compile(r"^Input should be a valid boolean"), "请选择是或否"),
    (re.compile(r"^Input should be '"), "请选择有效的选项"),
    (re.compile(r"^String should have at least (\d+) character"), "至少 {0} 个字符"),
    (re.compile(r"^String should have at most (\d+) character"), "最多 {0} 个字符"),
    (re.compile(r"^List should have at least (\d+) item"), "至少 {0} 项"),
    (re.compile(r"^List should have at most (\d+) item"), "最多 {0} 项"),
    (re.compile(r"^Extra inputs are not permitted"), "不接受此字段"),
    (re.compile(r"^String should match pattern"), "格式不对"),
    (re.compile(r"^Input should be in a valid time format"), "请输入有效时间（时:分，如 18:30）"),
    (re.compile(r"^Value error, a period ends after it starts"),
     "结束时间须晚于开始时间（同一天内）"),
    (re.compile(r"^Value error, periods follow one another without overlapping"),
     "各时段须按先后顺序排列，不得重叠"),
    (re.compile(r"^Value error, a shop-local wall-clock time takes no zone offset"),
     "请填写上海当地时间，不带时区"),
    (re.compile(r"^Value error, (.+)$"), "{0}"),
)


def field_reason(reason: str) -> str:
    """Why the API refused a field, in Chinese for pydantic's usual messages; the API's own
    words otherwise."""
    for pattern, text in _REASONS:
        found = pattern.search(reason)
        if found:
            return text.format(*found.groups())
    return reason


def problem_title(slug: str, title: str) -> str:
    return PROBLEM_TITLES.get(slug, title)


def reason_label(reason: Any) -> str:
    return REASON_NAMES.get(reason, str(reason)) if reason else ""


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
            return "、".join(str(value_label(v, key)) for v in value) or "—"
        return f"{len(value)} 项"
    if isinstance(value, dict):
        return "；".join(f"{label(k)}: {cell(k, v)}" for k, v in value.items()
                        if not isinstance(v, dict | list))
    return str(value_label(value, key))


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
