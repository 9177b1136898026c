"""The OWASP API Security Top 10 (2023) at hr directly (issue 10, item 4): a caller who bypasses
the gateway meets the same refusals.

- API1 object level: two after-sales agents of one team (same role, same supervisor). B may not
  read, list, accept, cancel or approve A's request, nor read A's ledger, attendance or
  settlement line; A may (H11: only the direct supervisor decides; issue 9, item 9: oneself,
  one's team, or everyone for HR admin and the manager).
- API2 authentication: forged and foreign tokens on hr's own routes (401, never served).
- API3 property level: requester, state, role and unknown fields in bodies are refused (422);
  a role or wage change by someone who may not grant it is refused (403).
- Injection: MongoDB operators in queries, paths and bodies (422).
- API4: oversized (413) and deeply nested (422 `body-too-deep`) bodies.
"""

from __future__ import annotations

import pytest

from integration.hr.conftest import sh
from support.forged_tokens import FORGERIES, forged_tokens
from support.problems import assert_problem

pytestmark = pytest.mark.integration
MONTH = "2026-12"



@pytest.fixture(scope="module")
async def pair(hr) -> dict:
    """A's swap request with C (both after-sales of one team); B is the third after-sales
    agent of the same team, who has nothing to do with it."""
    hr.clock.set(sh(1, 7, 0))
    team = await hr.team(size=3)
    a, b, c = team["aftersales"]
    made = await hr.client.post("/requests/swaps", headers=hr.as_(a, "aftersales"), json={
        "day": "2026-12-03", "colleague_id": c, "colleague_day": "2026-12-03",
        "approver_id": team["sup"], "reason": "家里有事"})
    assert made.status_code == 201, made.text
    for _ in range(2):  # H19: a warning, then -3 points on A's ledger
        noted = await hr.client.post("/ledger/non-work", json={"staff_id": a, "note": "刷手机"},
                                     headers=team["sup_headers"])
        assert noted.status_code == 201, noted.text
    drafted = await hr.client.post("/settlements", json={"month": MONTH},
                                   headers=team["sup_headers"])
    assert drafted.status_code == 201, drafted.text
    return {**team, "a": a, "b": b, "c": c, "request_id": made.json()["request_id"]}


# --- API1: object level ------------------------------------------------------------------------

async def test_an_agent_may_not_see_or_act_on_a_same_role_colleagues_request(hr, pair) -> None:
    rid, a, b = pair["request_id"], pair["a"], pair["b"]
    as_a, as_b = hr.as_(a, "aftersales"), hr.as_(b, "aftersales")
    assert_problem(await hr.client.get(f"/requests/{rid}", headers=as_b), 403)
    assert_problem(await hr.client.get("/requests", params={"staff_id": a}, headers=as_b), 403)
    assert rid not in [r["request_id"] for r in
                       (await hr.client.get("/requests", headers=as_b)).json()]
    # B may not take the colleague's part, nor the requester's.
    for action in ("accept", "decline", "cancel"):
        answer = await hr.client.post(f"/requests/{rid}/decisions", json={"action": action},
                                      headers=as_b)
        assert_problem(answer, 403)
    accepted = await hr.client.post(f"/requests/{rid}/decisions", json={"action": "accept"},
                                    headers=hr.as_(pair["c"], "aftersales"))
    assert accepted.json()["state"] == "awaiting_supervisor", accepted.text
    # Nor the supervisor's (H11: the direct supervisor only), nor the requester's again.
    for action in ("approve", "refuse"):
        answer = await hr.client.post(f"/requests/{rid}/decisions", json={"action": action},
                                      headers=as_b)
        body = assert_problem(answer, 409)
        assert (body["rule"], body["reason"]) == ("H11", "not_direct_supervisor")
    assert_problem(await hr.client.post(f"/requests/{rid}/decisions", json={"action": "cancel"},
                                  headers=as_b), 403)
    mine = await hr.client.get(f"/requests/{rid}", headers=as_a)
    assert mine.status_code == 200, mine.text
    assert mine.json()["state"] == "awaiting_supervisor"  # nothing B tried took effect
    assert [h["by"] for h in mine.json()["history"]] == [a, pair["c"]]

async def test_an_agent_may_not_read_a_same_role_colleagues_points_or_attendance(hr, pair
                                                                                 ) -> None:
    a, b = pair["a"], pair["b"]
    as_a, as_b = hr.as_(a, "aftersales"), hr.as_(b, "aftersales")
    for path in (f"/ledger/{a}", f"/attendance/{a}"):
        assert_problem(await hr.client.get(path, params={"month": MONTH}, headers=as_b), 403)
        own = await hr.client.get(path, params={"month": MONTH}, headers=as_a)
        assert own.status_code == 200, (path, own.text)
    points = (await hr.client.get(f"/ledger/{a}", params={"month": MONTH}, headers=as_a)).json()
    assert [e["staff_id"] for e in points] and {e["staff_id"] for e in points} == {a}
    assert_problem(await hr.client.get(f"/staff/{a}", headers=as_b), 403)


async def test_each_agent_sees_their_own_settlement_line_only(hr, pair) -> None:
    a, b = pair["a"], pair["b"]
    for staff_id in (a, b):
        answer = await hr.client.get(f"/settlements/{MONTH}",
                                     headers=hr.as_(staff_id, "aftersales"))
        assert answer.status_code == 200, answer.text
        assert [p["staff_id"] for p in answer.json()["people"]] == [staff_id]
    for path in (f"/settlements/{MONTH}/payroll.csv", "/figures"):
        answer = await hr.client.get(path, params={"month": MONTH} if path == "/figures" else {},
                                     headers=hr.as_(b, "aftersales"))
        assert_problem(answer, 403)


# --- API2: authentication ----------------------------------------------------------------------

@pytest.mark.parametrize("name", FORGERIES)
async def test_forged_and_foreign_tokens_are_refused_by_hr(hr, pair, keys, name: str) -> None:
    token = forged_tokens(keys, "mgr-forged", "manager")[name]
    headers = {"Authorization": f"Bearer {token}"}
    for method, path, body in (
            ("GET", "/staff", None), ("GET", f"/ledger/{pair['a']}?month={MONTH}", None),
            ("GET", f"/requests/{pair['request_id']}", None),
            ("POST", "/staff", {"staff_id": "forged-1", "display_name": "x", "role": "manager"}),
            ("POST", f"/requests/{pair['request_id']}/decisions", {"action": "approve"}),
            ("PATCH", "/policy", {}), ("POST", "/fund/spending", {"amount_fen": 1, "note": "x"})):
        answer = await hr.client.request(method, path, headers=headers, json=body)
        assert assert_problem(answer, 401)["type"].rsplit("/", 1)[1] in {"invalid-token",
                                                                    "token-expired"}, name
    assert (await hr.client.get("/staff/forged-1", headers=hr.admin)).status_code == 404


# --- API3: property level ----------------------------------------------------------------------

@pytest.mark.parametrize("extra", [
    {"staff_id": "someone-else"}, {"requester_id": "someone-else"}, {"state": "approved"},
    {"history": []}, {"role": "manager"}, {"kind": "leave"}, {"request_id": "swap-000000000000"},
])
async def test_request_bodies_refuse_owner_state_and_unknown_fields(hr, pair, extra: dict
                                                                    ) -> None:
    body = {"day": "2026-12-04", "colleague_id": pair["c"], "colleague_day": "2026-12-04",
            "approver_id": pair["sup"], **extra}
    answer = await hr.client.post("/requests/swaps", json=body,
                                  headers=hr.as_(pair["b"], "aftersales"))
    assert {e["field"] for e in assert_problem(answer, 422)["errors"]} == set(extra)


async def test_decisions_refuse_an_actor_field(hr, pair) -> None:
    answer = await hr.client.post(f"/requests/{pair['request_id']}/decisions",
                                  json={"action": "accept", "by": pair["c"]},
                                  headers=hr.as_(pair["b"], "aftersales"))
    assert_problem(answer, 422)


@pytest.mark.parametrize("extra", [{"version": 9}, {"updated_at": "2026-01-01T00:00:00Z"},
                                   {"password": "x"}, {"staff_id": "renamed"}])
async def test_staff_changes_refuse_fields_nobody_sets(hr, pair, extra: dict) -> None:
    answer = await hr.client.patch(f"/staff/{pair['a']}", json={"display_name": "A", **extra},
                                   headers=hr.admin)
    assert_problem(answer, 422)


async def test_a_supervisor_may_not_raise_a_role_or_a_wage(hr, pair) -> None:
    for change in ({"role": "manager"}, {"wage_fen": 9_999_999}, {"supervisor_id": pair["b"]}):
        answer = await hr.client.patch(f"/staff/{pair['a']}", json=change,
                                       headers=pair["sup_headers"])
        assert_problem(answer, 403)
    person = (await hr.client.get(f"/staff/{pair['a']}", headers=hr.admin)).json()
    assert person["role"] == "aftersales" and person["supervisor_id"] == pair["sup"]


# --- injection ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "staff_id[$ne]=x", "staff_id=%7B%22%24ne%22%3A%22%22%7D", "state[$ne]=approved",
    "month[$gt]=2026-01", "month=%24where", "state=%7B%22%24gt%22%3A%22%22%7D",
])
async def test_operators_in_request_queries_are_refused(hr, pair, query: str) -> None:
    answer = await hr.client.get(f"/requests?{query}", headers=hr.manager)
    assert_problem(answer, 422)


async def test_operators_in_paths_and_bodies_are_refused(hr, pair) -> None:
    for path in ("/staff/%7B%22%24ne%22%3A%22%22%7D", "/staff/$ne",
                 "/ledger/%24ne?month=2026-12", "/requests/%7B%22%24ne%22%3A%22%22%7D"):
        answer = await hr.client.get(path, headers=hr.manager)
        assert answer.status_code in {404, 422}, (path, answer.text)
    as_b = hr.as_(pair["b"], "aftersales")
    for path, body in (
            ("/requests/swaps", {"day": "2026-12-04", "colleague_id": {"$ne": ""},
                                 "colleague_day": "2026-12-04", "approver_id": pair["sup"]}),
            ("/requests/swaps", {"day": "2026-12-04", "colleague_id": pair["c"],
                                 "colleague_day": "2026-12-04",
                                 "approver_id": {"$gt": ""}}),
            (f"/requests/{pair['request_id']}/decisions", {"action": {"$in": ["approve"]}})):
        assert_problem(await hr.client.post(path, json=body, headers=as_b), 422)
    patched = await hr.client.patch(f"/staff/{pair['a']}", json={"team": {"$set": "x"}},
                                    headers=hr.admin)
    assert_problem(patched, 422)


# --- API4: resource consumption ----------------------------------------------------------------

async def test_oversized_bodies_are_refused(hr) -> None:
    big = b'{"display_name": "' + b"x" * (2 << 20) + b'"}'
    answer = await hr.client.post("/staff", content=big,
                                  headers={**hr.admin, "Content-Type": "application/json"})
    assert_problem(answer, 413)


@pytest.mark.parametrize("body", ["[" * 10_000 + "]" * 10_000,
                                  '{"a":' * 10_000 + '"x"' + "}" * 10_000])
async def test_deeply_nested_bodies_are_422_saying_why(hr, pair, body: str) -> None:
    headers = {**hr.admin, "Content-Type": "application/json"}
    for path in ("/staff", "/requests/swaps", f"/requests/{pair['request_id']}/decisions"):
        answer = await hr.client.post(path, content=body, headers=headers)
        problem = assert_problem(answer, 422)
        assert problem["type"].endswith("/body-too-deep"), (path, problem)
        assert "nested" in problem["title"]
    assert (await hr.client.get("/staff", headers=hr.admin)).status_code == 200



@pytest.mark.parametrize("shift", [
    {"code": "", "name": "早班", "roles": ["presales"],
     "periods": [{"start": "09:00", "end": "11:30"}]},
    {"code": "cs_x", "name": "早班", "roles": [], "periods": [{"start": "09:00", "end": "11:30"}]},
    {"code": "cs_x", "name": "早班", "roles": ["root"],
     "periods": [{"start": "09:00", "end": "11:30"}]},
    {"code": "cs_x", "name": "早班", "roles": ["presales"], "periods": []},
    {"code": "cs_x", "name": "早班", "roles": ["presales"],
     "periods": [{"start": "09:00", "end": "00:00:00Z"}]},  # found by scripts/fuzz
    {"code": "cs_x", "name": "早班", "roles": ["presales"], "periods": [{"start": 0, "end": 0}]},
    {"code": "cs_x", "name": "早班", "roles": ["presales"],
     "periods": [{"start": "12:00", "end": "11:00"}]},
    {"code": "cs_x", "name": "早班", "roles": ["presales"],
     "periods": [{"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]},
    {"code": "cs_x", "name": "早班", "roles": ["presales"],
     "periods": [{"start": "09:00", "end": "11:30"}], "owner": "x"},
])
async def test_the_policy_refuses_a_shift_nobody_could_work(hr, shift: dict) -> None:
    answer = await hr.client.patch("/policy", json={"shifts": [shift]}, headers=hr.manager)
    assert_problem(answer, 422)
    policy = (await hr.client.get("/policy", headers=hr.manager)).json()
    assert [s["code"] for s in policy["shifts"]] == ["cs_early", "cs_late", "desk_early"]
