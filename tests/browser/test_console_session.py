"""The console's session rules over plain HTTP (no browser needed): cookie flags, CSRF,
`next=` validation, sign-out, and how times, amounts and SLA clocks are shown."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from console.charts import bar_chart, line_chart
from console.format import cell, shanghai, sla_state, yuan
from console.main import create_app
from console.session import safe_next
from console.settings import ConsoleSettings

from support.harness import running


class RefusingGateway(httpx.AsyncBaseTransport):
    """A gateway that is down."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)


class FakeGateway(httpx.AsyncBaseTransport):
    """Just enough gateway for sign-in: any password but 'wrong' gets a token."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.seen: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if request.url.path == "/auth/token":
            if b'"wrong"' in request.content:
                return httpx.Response(401, json={"title": "Unauthorized", "status": 401,
                                                 "detail": "bad credentials"})
            return httpx.Response(200, json={"access_token": self.token, "token_type": "bearer",
                                             "expires_in": 3600})
        if request.url.path == "/auth/sign-out":
            return httpx.Response(204)
        if request.url.path == "/auth/me":
            return httpx.Response(200, json={"staff_id": "aftersales1", "display_name": "小王",
                                             "role": "aftersales", "team": None,
                                             "active": True})
        return httpx.Response(502, json={"title": "Upstream unavailable", "status": 502,
                                         "detail": "down"})


def _token(keys, staff_id: str = "aftersales1", role: str = "aftersales", ttl: int = 3600) -> str:
    return keys.token(staff_id, role, ttl=ttl)


async def _csrf(client: httpx.AsyncClient) -> str:
    page = await client.get("/")
    assert page.status_code == 200
    return client.cookies["ops_csrf"]


@pytest.mark.parametrize("environment,secure", [("production", True), ("test", True),
                                                 ("development", False)])
async def test_session_cookie_is_httponly_samesite_strict_and_secure_outside_development(
        keys, environment: str, secure: bool) -> None:
    app = create_app(ConsoleSettings(environment=environment),
                     transport=FakeGateway(_token(keys)))
    async with (app.router.lifespan_context(app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                  base_url="https://console.test") as client):
        csrf = await _csrf(client)
        answer = await client.post("/login", data={"staff_id": "aftersales1", "password": "x",
                                                   "csrf_token": csrf, "next": "/queue"})
        assert answer.status_code == 303 and answer.headers["location"] == "/queue"
        cookie = next(v for k, v in answer.headers.multi_items()
                      if k == "set-cookie" and v.startswith("ops_session="))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        assert ("Secure" in cookie) is secure


async def test_forms_without_the_csrf_token_are_refused(keys) -> None:
    app = create_app(ConsoleSettings(environment="development"),
                     transport=FakeGateway(_token(keys)))
    async with running(app) as client:
        await _csrf(client)
        refused = await client.post("/login", data={"staff_id": "a", "password": "b",
                                                    "csrf_token": "forged"})
        assert refused.status_code == 403
        client.cookies.set("ops_session", _token(keys))
        refused = await client.post("/tickets/TK-20261126-0001/responses",
                                    data={"message": "hi"})
        assert refused.status_code == 403


async def test_wrong_password_and_a_gateway_that_is_down_are_told_apart(keys) -> None:
    async with running(create_app(ConsoleSettings(), transport=FakeGateway("x"))) as client:
        csrf = await _csrf(client)
        wrong = await client.post("/login", data={"staff_id": "a", "password": "wrong",
                                                  "csrf_token": csrf})
        assert wrong.status_code == 401 and "工号或密码错误" in wrong.text
    async with running(create_app(ConsoleSettings(), transport=RefusingGateway())) as client:
        csrf = await _csrf(client)
        down = await client.post("/login", data={"staff_id": "a", "password": "b",
                                                 "csrf_token": csrf})
        assert down.status_code == 503 and "网关暂时不可用" in down.text


async def test_an_expired_session_goes_to_sign_in_and_keeps_the_page(keys) -> None:
    async with running(create_app(ConsoleSettings(), transport=FakeGateway("x"))) as client:
        client.cookies.set("ops_session", _token(keys, ttl=-10))
        answer = await client.get("/queue?state=open")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/?next=%2Fqueue%3Fstate%3Dopen"
        htmx = await client.get("/queue/rows", headers={"HX-Request": "true",
                                                        "HX-Current-URL": "http://x/queue"})
        assert htmx.headers["HX-Redirect"] == "/?next=%2Fqueue"


async def test_sign_out_revokes_the_session_at_the_gateway_and_clears_the_cookie(keys) -> None:
    gateway = FakeGateway("x")
    async with running(create_app(ConsoleSettings(), transport=gateway)) as client:
        csrf = await _csrf(client)
        token = _token(keys)
        client.cookies.set("ops_session", token)
        answer = await client.post("/logout", data={"csrf_token": csrf})
        assert answer.status_code == 303 and answer.headers["location"] == "/?signed_out=1"
        assert any(v.startswith('ops_session=""') or "Max-Age=0" in v
                   for k, v in answer.headers.multi_items() if k == "set-cookie")
        sign_out = [r for r in gateway.seen if r.url.path == "/auth/sign-out"]
        assert [(r.method, r.headers["authorization"], r.url.query) for r in sign_out] == [
            ("POST", f"Bearer {token}", b"")]  # this session only, not all_sessions


async def test_sign_out_still_clears_the_cookie_when_the_gateway_is_down(keys) -> None:
    async with running(create_app(ConsoleSettings(), transport=RefusingGateway())) as client:
        csrf = await _csrf(client)
        client.cookies.set("ops_session", _token(keys))
        answer = await client.post("/logout", data={"csrf_token": csrf})
        assert answer.status_code == 303
        assert answer.headers["location"] == "/?signed_out=partial"
        assert any(v.startswith('ops_session=""') or "Max-Age=0" in v
                   for k, v in answer.headers.multi_items() if k == "set-cookie")
        client.cookies.clear()  # as the browser does on the answer's Set-Cookie
        page = await client.get(answer.headers["location"])
        assert "网关暂时不可用" in page.text


async def test_a_service_that_is_down_is_named(keys) -> None:
    async with running(create_app(ConsoleSettings(), transport=FakeGateway("x"))) as client:
        client.cookies.set("ops_session", _token(keys))
        page = await client.get("/rmas")
        assert page.status_code == 200 and "物流服务暂时不可用" in page.text
        page = await client.get("/queue")
        assert page.status_code == 200 and "工单服务暂时不可用" in page.text
        home = await client.get("/home")
        assert "小王" in home.text and "我的队列" in home.text and "死信" not in home.text


@pytest.mark.parametrize("target,expected", [
    ("/queue?state=open", "/queue?state=open"), ("//evil.example/x", "/home"),
    ("https://evil.example/", "/home"), ("/\\evil.example", "/home"), ("queue", "/home"),
    ("", "/home"), (None, "/home"), ("/ok\r\nSet-Cookie: x", "/home")])
def test_next_is_a_local_path_only(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_times_are_shanghai_and_amounts_yuan() -> None:
    assert shanghai("2026-11-26T02:00:00Z") == "2026-11-26 10:00"
    assert shanghai("2026-11-26T10:00:00+08:00") == "2026-11-26 10:00"
    assert yuan(12345) == "¥123.45" and yuan(-5) == "-¥0.05" and yuan(None) == "—"
    assert cell("refund_fen", 1999) == "¥19.99"
    assert cell("state", "pending_customer") == "等待客户"


@pytest.mark.parametrize("key,value,shown", [
    ("state", "in_transit", "退回途中"), ("platform_status", "waiting_buyer_return", "待买家退货"),
    ("state", "courier_refused", "快递拒绝拦截"), ("kind", "missed_punch", "补卡"),
    ("status", "late_early", "迟到且早退"), ("role", "order_desk", "订单组"),
    ("roles", ["presales", "aftersales"], "售前客服、售后客服"), ("side", "in", "上班"),
    ("shift", "cs_late", "客服晚班"), ("reason", "swap_limit", "本月调班次数已用完"),
    ("reason", "鞋底开胶", "鞋底开胶"), ("order_id", "TB-1", "TB-1")])
def test_api_values_are_shown_with_chinese_labels(key: str, value: object, shown: str) -> None:
    assert cell(key, value) == shown


def test_the_apis_field_reasons_are_shown_in_chinese() -> None:
    from console.api import Problem

    problem = Problem.of(422, {"type": "https://x/problems/validation-error", "title": "Invalid",
                               "errors": [{"field": "in_stock_days", "reason":
                                           "Input should be less than or equal to 30"},
                                          {"field": "note", "reason": "名字太长"}]})
    assert problem.heading == "填写内容有误"
    assert problem.fields == {"in_stock_days": "不能大于 30", "note": "名字太长"}
    assert problem.detail == "请按字段旁的提示修改。"  # the English summary not repeated
    unplaced = Problem.of(422, {"type": "https://x/problems/validation-error",
                                "detail": "body: nothing to change",
                                "errors": [{"field": "", "reason": "nothing to change"}]})
    assert unplaced.detail == "body: nothing to change"  # no field to stand beside


def test_sla_clock_states() -> None:
    now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    due, warn = now + timedelta(minutes=10), now + timedelta(minutes=5)
    clock = {"metric": "first_response", "due_at": due.isoformat(), "warn_at": warn.isoformat(),
             "met_at": None, "warned_at": None, "breached_at": None}
    assert sla_state(clock, now)["state"] == "running"
    assert sla_state(clock, now + timedelta(minutes=6))["state"] == "warned"
    assert sla_state(clock, now + timedelta(minutes=11))["state"] == "breached"
    met = {**clock, "met_at": (now + timedelta(minutes=1)).isoformat()}
    assert sla_state(met, now + timedelta(hours=1))["state"] == "met"
    late = {**clock, "met_at": (now + timedelta(minutes=20)).isoformat()}
    assert sla_state(late, now + timedelta(hours=1))["state"] == "breached"


def test_charts_are_inline_svg_with_escaped_text() -> None:
    svg = str(bar_chart("退货<原因>", [("尺码<偏大>", 3), ("质量", 1)]))
    assert svg.startswith("<svg") and "&lt;偏大&gt;" in svg and "<偏大>" not in svg
    line = str(line_chart("SLA", ["11-01", "11-08"], {"首次响应": [90.0, None]}, y_max=100))
    assert "<polyline" in line and "首次响应" in line


class EmptyGateway(FakeGateway):
    """Every list is empty and every record a small one: pages must render, not break."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/auth/"):
            return await super().handle_async_request(request)
        if request.method != "GET":
            return httpx.Response(409, json={
                "type": "https://ops.example/problems/rule-refused", "title": "Refused",
                "status": 409, "detail": "H6: swap limit reached", "rule": "H6",
                "reason": "swap_limit", "errors": [{"field": "day", "reason": "too late"}]})
        last = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        if last in ("tickets", "rmas", "recalls", "exchange-orders", "parcel-tasks",
                    "requests", "rosters", "figures", "duty", "dead-letters", "sla-policies",
                    "search") or request.url.path.startswith(("/api/hr/ledger/",
                                                               "/api/hr/attendance/")):
            body: object = {"items": [], "total": 0} if last == "tickets" else []
        else:
            body = {"month": "2026-11", "state": "draft", "agents": [], "groups": [],
                    "owners": [], "day": "2026-11-30", "as_of": "2026-11-30T10:00:00+08:00",
                    "total": 0, "min_staff": {}}
        return httpx.Response(200, json=body)


ROLES = ("presales", "aftersales", "order_desk", "warehouse", "supervisor", "manager",
         "hr_admin", "ops_admin")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("gateway", [FakeGateway, EmptyGateway])
async def test_every_menu_page_renders_whether_services_answer_or_not(
        keys, role: str, gateway: type[FakeGateway]) -> None:
    from console.menus import menu_for

    app = create_app(ConsoleSettings(), transport=gateway("x"))
    async with running(app) as client:
        client.cookies.set("ops_session", _token(keys, "someone", role))
        for group in menu_for(role):
            for item in group.items:
                page = await client.get(item.path)
                assert page.status_code == 200, (item.path, page.text[:500])
                assert "<h1>" in page.text


async def test_a_refusal_shows_its_rule_and_the_field_it_names(keys) -> None:
    app = create_app(ConsoleSettings(), transport=EmptyGateway("x"))
    async with running(app) as client:
        client.cookies.set("ops_session", _token(keys))
        csrf = (await client.get("/me/requests")).cookies.get("ops_csrf") or \
            client.cookies.get("ops_csrf")
        answer = await client.post("/me/requests/do/swap", data={
            "csrf_token": csrf, "day": "2026-12-01", "colleague_id": "presales1",
            "colleague_day": "2026-12-02", "approver_id": "supervisor1", "reason": ""})
        assert answer.status_code == 409
        assert "H6: swap limit reached" in answer.text and "规则不允许" in answer.text
        assert "本月调班次数已用完" in answer.text and 'data-reason="swap_limit"' in answer.text
        assert 'id="err-day"' in answer.text and "too late" in answer.text


def test_form_fields_become_the_nested_json_the_api_takes() -> None:
    from console.pages.generic import body_of
    from console.pages.logistics import RECEIPTS

    fields = RECEIPTS.actions[0].fields
    body, path, errors = body_of(fields, {
        "receipt_id": "WR-1", "received_at": "2026-11-30T09:15", "rma_number": "RMA-1",
        "items.0.sku": "WOOL-38", "items.0.quantity": "2", "items.0.intact": "on",
        "inspector": "warehouse1"})
    assert errors == {} and path == {}
    assert body["received_at"] == "2026-11-30T09:15:00+08:00"
    assert body["items"] == [{"sku": "WOOL-38", "quantity": 2, "intact": True,
                              "box_complete": False, "resellable": False}]


AN_RMA = {"number": "RMA-1", "kind": "return", "state": "in_transit",
          "allowed_next": ["in_transit", "received", "disputed", "refunded", "cancelled"],
          "order_id": "TB-1", "ticket_number": None, "quality_claim": True, "photos": [],
          "decision": None, "owner_id": "aftersales1", "opened_by": "aftersales1",
          "opened_at": "2026-11-30T10:00:00+08:00", "tracking_number": "SF1",
          "courier": None, "platform_status": "waiting_buyer_return", "inspection": None,
          "dispute": None, "advance": None, "exchange": None, "refund_id": None,
          "next_action_at": None,
          "items": [{"sku": "WOOL-38", "quantity": 1, "unit_paid_fen": None}],
          "card": {"customer_id": "tb_*", "reason": "鞋底开胶", "contact_name": "张*",
                   "contact_phone": "138****5678", "address": "浙江省***",
                   "wanted_replacement": None},
          "postage": {"return_leg_payer": "shop", "outgoing_leg_payer": None,
                      "return_postage_fen": 1000, "outgoing_postage_fen": 0,
                      "customer_advanced_fen": 1000, "owed_to_customer_fen": 1000,
                      "shop_pays_fen": 1000}}
A_RECALL = {"number": "RC-1", "state": "courier_accepted", "order_id": "TB-2",
            "tracking_number": "SF2", "courier": "SF", "paid_fen": 29900, "slip": None}


class RmaGateway(FakeGateway):
    """One RMA in transit and one recall the courier accepted; every change is refused with
    the field the API names."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        path = request.url.path
        if path.startswith("/auth/"):
            return await super().handle_async_request(request)
        if request.method != "GET":
            return httpx.Response(422, json={
                "type": "https://ops.example/problems/validation-error", "title": "Invalid",
                "status": 422, "detail": "amounts.WOOL-38: too small",
                "errors": [{"field": "amounts.WOOL-38", "reason":
                            "Input should be greater than or equal to 1"}]})
        if path.endswith("/timeline"):
            return httpx.Response(200, json=[{"at": "2026-11-30T10:00:00+08:00",
                                              "actor_id": "aftersales1", "action": "opened",
                                              "details": {"kind": "return"}}])
        if path.endswith("/refund"):
            return httpx.Response(404, json={"title": "Not found", "status": 404,
                                             "type": "https://ops.example/problems/not-found",
                                             "detail": "no refund yet"})
        if path == "/api/logistics/rmas/RMA-1":
            return httpx.Response(200, json=AN_RMA)
        if path == "/api/logistics/recalls/RC-1":
            return httpx.Response(200, json=A_RECALL)
        return httpx.Response(404, json={"detail": "Not Found"})


async def test_the_rma_page_offers_what_its_state_allows_and_shows_refusals_by_field(
        keys) -> None:
    app = create_app(ConsoleSettings(), transport=RmaGateway("x"))
    async with running(app) as client:
        client.cookies.set("ops_session", _token(keys))
        page = await client.get("/rmas/RMA-1")
        assert page.status_code == 200
        text = page.text
        assert 'data-state="in_transit"' in text and "退回途中" in text and "待买家退货" in text
        for offered in ("form-quality", "form-tracking", "form-amounts", "form-refund",
                        "form-platform", "form-cancel"):
            assert f'id="{offered}"' in text, offered
        for not_now in ("form-close", "form-dispute", "form-ship"):
            assert f'id="{not_now}"' not in text, not_now
        assert "尚未退款" in text and "创建" in text  # refund not yet; the timeline in Chinese

        csrf = client.cookies.get("ops_csrf")
        refused = await client.post("/rmas/RMA-1/do/amounts",
                                    data={"csrf_token": csrf, "amounts.WOOL-38": "0.001"})
        assert refused.status_code == 422
        assert 'id="err-amounts-WOOL-38"' in refused.text and "不能小于" in refused.text
        stale = await client.post("/rmas/RMA-1/do/close", data={"csrf_token": csrf})
        assert stale.status_code == 409 and "当前状态不允许此操作" in stale.text

        recall = await client.get("/recalls/RC-1")
        assert recall.status_code == 200
        assert 'id="form-slip"' in recall.text and 'id="form-parcel-received"' in recall.text
        assert 'id="form-courier-answer"' not in recall.text


async def test_a_row_button_sends_the_fields_it_does_not_show_with_their_defaults(keys) -> None:
    """Signing for a returned parcel from the recalls list posts the signer only; the date
    (today, Shanghai) is filled in as the form beside it would."""
    from console.format import today_shanghai

    gateway = RmaGateway("x")
    app = create_app(ConsoleSettings(), transport=gateway)
    async with running(app) as client:
        client.cookies.set("ops_session", _token(keys, "desk1", "order_desk"))
        await client.get("/recalls")
        csrf = client.cookies.get("ops_csrf")
        answer = await client.post("/recalls/do/parcel-received",
                          data={"csrf_token": csrf, "number": "RC-1", "signed_by": "王五"})
        assert answer.status_code == 422, answer.text[:2000]
        sent = [r for r in gateway.seen if r.method == "POST"]
        assert [r.url.path for r in sent] == ["/api/logistics/recalls/RC-1/parcel-received"]
        assert json.loads(sent[0].content) == {"signed_by": "王五",
                                               "on": today_shanghai().isoformat()}
