"""The OWASP API Security Top 10 (2023) at logistics directly (issue 10, item 4): a caller who
bypasses the gateway meets the same refusals.

- API1 object level, with two staff members of the same role. An RMA's owner is who is reminded
  of it (T13), not who alone may work it: the after-sales team shares its RMAs (L1-L14 give no
  owner-only step), so agent B may act on agent A's RMA, and the timeline names B, never A
  (L14); no body can name someone else as the one who acted. Customer contact (T15) is by
  role: both agents see it, both warehouse staff get it masked, on every read.
- API2 authentication: forged and foreign tokens on logistics' own routes (401).
- API3 property level: owner, state, author and unknown fields in bodies (422); a role that may
  not take a step is refused (403), the RMA unchanged.
- Injection: MongoDB operators in queries, paths and bodies (422, or taken as plain text that
  matches nothing).
- API4: oversized (413) and deeply nested (422 `body-too-deep`) bodies.
- Exports: a reason typed by anyone, with control characters or starting like a formula, makes
  the returns report neither fail (found by `scripts/fuzz`: a 500) nor run as a formula.
"""

from __future__ import annotations

import csv as csv_module
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from support.forged_tokens import FORGERIES, forged_tokens
from support.problems import assert_problem

pytestmark = pytest.mark.integration
AGENT_A, AGENT_B = "as-lsec-a", "as-lsec-b"
WAREHOUSE_A, WAREHOUSE_B = "wh-lsec-a", "wh-lsec-b"
FULL_PHONE = "13812345678"



@pytest.fixture(scope="module")
async def owned(service) -> dict:
    """An RMA opened and owned by agent A."""
    rma = await service.rma(staff_id=AGENT_A)
    assert rma["owner_id"] == AGENT_A
    return rma


# --- API1: object level ------------------------------------------------------------------------

async def test_contact_details_follow_the_role_for_two_staff_of_each_role(service, owned
                                                                          ) -> None:
    number = owned["number"]
    reads = {
        "rma": lambda h: service.client.get(f"/rmas/{number}", headers=h),
        "list": lambda h: service.client.get("/rmas", params={"order_id": owned["order_id"]},
                                             headers=h),
    }
    for name, read in reads.items():
        for staff_id in (AGENT_A, AGENT_B):
            answer = await read(service.as_("aftersales", staff_id))
            assert answer.status_code == 200 and FULL_PHONE in answer.text, (name, staff_id)
        for staff_id in (WAREHOUSE_A, WAREHOUSE_B):
            answer = await read(service.as_("warehouse", staff_id))
            assert answer.status_code == 200, answer.text
            assert FULL_PHONE not in answer.text and "138****5678" in answer.text, name
            assert "张三丰" not in answer.text and "文三路100号" not in answer.text, name


async def test_another_agent_works_the_rma_under_their_own_name(service, owned) -> None:
    number = owned["number"]
    tracked = await service.client.post(f"/rmas/{number}/tracking",
                                        json={"tracking_number": "SF1234567890"},
                                        headers=service.as_("aftersales", AGENT_B))
    assert tracked.status_code == 200, tracked.text
    assert tracked.json()["owner_id"] == AGENT_A  # acting does not take the RMA over
    timeline = (await service.client.get(f"/rmas/{number}/timeline",
                                         headers=service.as_("aftersales", AGENT_A))).json()
    assert [(e["actor_id"], e["action"]) for e in timeline][-1][0] == AGENT_B
    assert timeline[0]["actor_id"] == AGENT_A


async def test_a_warehouse_worker_may_not_take_an_after_sales_step(service, owned) -> None:
    number = owned["number"]
    as_a = service.as_("aftersales", AGENT_A)
    before = (await service.client.get(f"/rmas/{number}", headers=as_a)).json()
    headers = service.as_("warehouse", WAREHOUSE_A)
    for method, path, body in (
            ("PUT", f"/rmas/{number}/owner", {"owner_id": WAREHOUSE_A}),
            ("POST", f"/rmas/{number}/cancel", {"reason": "x"}),
            ("POST", f"/rmas/{number}/refund", {}),
            ("POST", "/rmas", {"kind": "return"})):
        assert_problem(await service.client.request(method, path, json=body, headers=headers), 403)
    assert (await service.client.get(f"/rmas/{number}", headers=as_a)).json() == before


# --- API2: authentication ----------------------------------------------------------------------

@pytest.mark.parametrize("name", FORGERIES)
async def test_forged_and_foreign_tokens_are_refused_by_logistics(service, owned, keys,
                                                                  name: str) -> None:
    token = forged_tokens(keys, "mgr-forged", "manager")[name]
    headers = {"Authorization": f"Bearer {token}"}
    number = owned["number"]
    for method, path, body in (
            ("GET", "/rmas", None), ("GET", f"/rmas/{number}", None),
            ("PUT", f"/rmas/{number}/owner", {"owner_id": "mgr-forged"}),
            ("POST", f"/rmas/{number}/refund", {}), ("GET", "/recalls", None),
            ("PUT", "/policies/promise", {}), ("GET", "/reports/returns", None)):
        answer = await service.client.request(method, path, headers=headers, json=body)
        assert assert_problem(answer, 401)["type"].rsplit("/", 1)[1] in {"invalid-token",
                                                                    "token-expired"}, name
    still = (await service.client.get(f"/rmas/{number}",
                                      headers=service.as_("aftersales", AGENT_A))).json()
    assert still["owner_id"] == AGENT_A


# --- API3: property level ----------------------------------------------------------------------

@pytest.mark.parametrize("extra", [
    {"state": "refunded"}, {"number": "RMA-20260101-0001"}, {"opened_by": AGENT_B},
    {"timeline": []}, {"refund": {"amount_fen": 1}}, {"role": "manager"}, {"version": 0},
])
async def test_opening_an_rma_refuses_state_author_and_unknown_fields(service, extra: dict
                                                                      ) -> None:
    body = {"kind": "return", "order_id": "TB-lsec-extra", "reason": "尺码不合适",
            "customer_id": "tb_lsec", "items": [{"sku": "WOOL-38", "quantity": 1}], **extra}
    answer = await service.client.post("/rmas", json=body,
                                       headers=service.as_("aftersales", AGENT_B))
    assert {e["field"] for e in assert_problem(answer, 422)["errors"]} == set(extra)


async def test_steps_refuse_an_author_or_state_field(service, owned) -> None:
    number = owned["number"]
    headers = service.as_("aftersales", AGENT_B)
    for method, path, body in (
            ("POST", f"/rmas/{number}/tracking", {"tracking_number": "SF1", "by": AGENT_A}),
            ("PUT", f"/rmas/{number}/owner", {"owner_id": AGENT_B, "state": "closed"}),
            ("POST", f"/rmas/{number}/cancel", {"reason": "x", "actor_id": AGENT_A}),
            ("PUT", f"/rmas/{number}/amounts", {"items": [], "refund_fen": 1})):
        assert_problem(await service.client.request(method, path, json=body, headers=headers), 422)


# --- injection ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "state[$ne]=x", "owner_id[$ne]=", "order_id[$gt]=", "limit[$gt]=0", "open_only=%24where",
    "limit=%7B%22%24gt%22%3A0%7D",
])
async def test_operators_in_rma_queries_are_refused(service, owned, query: str) -> None:
    answer = await service.client.get(f"/rmas?{query}", headers=service.as_("aftersales"))
    assert_problem(answer, 422)


@pytest.mark.parametrize("query", ["owner_id=%7B%22%24ne%22%3A%22%22%7D",
                                   "order_id=%7B%22%24gt%22%3A%22%22%7D", "state=%24where"])
async def test_operator_text_in_a_filter_is_plain_text(service, owned, query: str) -> None:
    answer = await service.client.get(f"/rmas?{query}", headers=service.as_("aftersales"))
    assert answer.status_code in {200, 422}, answer.text
    if answer.status_code == 200:
        assert answer.json() == []  # matched as text, never as an operator


async def test_operators_in_paths_and_bodies_are_refused(service, owned) -> None:
    headers = service.as_("aftersales", AGENT_B)
    for path in ("/rmas/%7B%22%24ne%22%3A%22%22%7D", "/rmas/$ne",
                 "/recalls/%7B%22%24ne%22%3A%22%22%7D"):
        assert (await service.client.get(path, headers=headers)).status_code in {404, 422}
    number = owned["number"]
    for method, path, body in (
            ("POST", "/rmas", {"kind": "return", "order_id": {"$ne": ""}, "reason": "x",
                               "customer_id": "c", "items": [{"sku": "WOOL-38",
                                                              "quantity": 1}]}),
            ("PUT", f"/rmas/{number}/owner", {"owner_id": {"$ne": ""}}),
            ("POST", f"/rmas/{number}/tracking", {"tracking_number": {"$gt": ""}})):
        assert_problem(await service.client.request(method, path, json=body, headers=headers), 422)


# --- API4: resource consumption ----------------------------------------------------------------

async def test_oversized_bodies_are_refused(service) -> None:
    big = b'{"reason": "' + b"x" * (2 << 20) + b'"}'
    answer = await service.client.post(
        "/rmas", content=big,
        headers={**service.as_("aftersales"), "Content-Type": "application/json"})
    assert_problem(answer, 413)


@pytest.mark.parametrize("body", ["[" * 10_000 + "]" * 10_000,
                                  '{"a":' * 10_000 + '"x"' + "}" * 10_000])
async def test_deeply_nested_bodies_are_422_saying_why(service, owned, body: str) -> None:
    headers = {**service.as_("aftersales", AGENT_A), "Content-Type": "application/json"}
    number = owned["number"]
    for method, path in (("POST", "/rmas"), ("PUT", f"/rmas/{number}/owner"),
                         ("POST", "/problem-parcels"), ("PUT", "/policies/promise")):
        answer = await service.client.request(method, path, content=body,
                                              headers={**headers, **service.as_("manager")}
                                              if path.startswith("/policies") else headers)
        problem = assert_problem(answer, 422)
        assert problem["type"].endswith("/body-too-deep"), (path, problem)
    assert (await service.client.get("/rmas", headers=headers)).status_code == 200


# --- exports -----------------------------------------------------------------------------------

async def test_the_returns_report_holds_any_reason_and_runs_none(service) -> None:
    start = datetime.now(UTC) - timedelta(minutes=1)
    reason = '=HYPERLINK("http://evil.example","点我")\x01\x1f'
    await service.rma(reason=reason)
    params = {"start": start.isoformat(),
              "end": (datetime.now(UTC) + timedelta(minutes=1)).isoformat()}
    xlsx = await service.get("/reports/returns", role="manager", format="xlsx", **params)
    assert xlsx.status_code == 200, xlsx.text
    keys = [row[1] for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(
        values_only=True)]
    assert "'=HYPERLINK(\"http://evil.example\",\"点我\")" in keys  # text, not a formula
    csv = await service.get("/reports/returns", role="manager", format="csv", **params)
    assert csv.status_code == 200 and "\x01" not in csv.text
    rows = list(csv_module.reader(io.StringIO(csv.text.lstrip("\ufeff"))))
    assert "'=HYPERLINK(\"http://evil.example\",\"点我\")" in [row[1] for row in rows]

