"""H2, H5-H12 routes on the real broker and database: generate, edit and publish a roster
(`hr.roster.published`), a swap through the state machine (`hr.shift.changed`), refusals as
problem details naming their rule, bad input never a 500."""

from __future__ import annotations

import pytest

from integration.hr.conftest import sh
from support.ticketing import tap
from support.wait import eventually

pytestmark = pytest.mark.integration


async def test_h2_roster_published_event_carries_every_duty(hr, at_start, amqp_url) -> None:
    async with tap(amqp_url, hr.settings.exchange, "hr.roster.published") as seen:
        team = await hr.team()
        await eventually(lambda: seen.data("hr.roster.published"), timeout=20)
    [event] = [e for e in seen.data("hr.roster.published") if e["team"] == team["team"]]
    assert event["month"] == "2026-12" and len(event["assignments"]) == 31 * 4
    roster = (await hr.client.get(f"/rosters/{team['roster_id']}",
                                  headers=team["sup_headers"])).json()
    assert roster["status"] == "published"
    duty = await hr.client.get("/duty", params={"day": "2026-12-01"}, headers=hr.admin)
    mine = [d for d in duty.json() if d["staff_id"] in team["aftersales"]]
    assert sorted(d["shift"] for d in mine) == ["cs_early", "cs_late"]


async def test_h7_h12_supervisor_edits_and_publish_checks_staffing(hr, at_start) -> None:
    team = await hr.team(size=1)
    rid, sup = team["roster_id"], team["sup_headers"]
    a1 = team["aftersales"][0]
    edit = await hr.client.put(f"/rosters/{rid}/entries", headers=sup, json={
        "day": "2026-12-25", "staff_id": a1, "shift": "cs_early", "holiday_duty": True})
    assert edit.status_code == 200, edit.text
    entry = next(e for e in edit.json()["entries"]
                 if e["staff_id"] == a1 and e["day"] == "2026-12-25")
    assert entry["holiday_duty"] is True
    off = await hr.client.put(f"/rosters/{rid}/entries", headers=sup, json={
        "day": "2026-12-26", "staff_id": a1, "shift": None})
    assert off.status_code == 200
    others = [e for e in off.json()["entries"] if e["day"] == "2026-12-26"]
    assert len(others) == 1  # only the presales agent that day: early or late is uncovered
    refused = await hr.client.post(f"/rosters/{rid}/publish", headers=sup)
    assert refused.status_code == 409
    assert (refused.json()["rule"], refused.json()["reason"]) == ("H12",
                                                                  "below_minimum_staffing")


@pytest.mark.parametrize(("body", "status"), [
    ({"day": "2026-12-32", "staff_id": "x", "shift": "cs_early"}, 422),
    ({"day": "2026-12-02", "staff_id": "x", "shift": "CS EARLY"}, 422),
    ({"day": "2026-11-30", "staff_id": "{sup}", "shift": "cs_early"}, 422),
    ({"day": "2026-12-02", "staff_id": "ghost", "shift": "cs_early"}, 404),
    ({"day": "2026-12-02", "staff_id": "{sup}", "shift": "cs_early"}, 422),
    ({"day": "2026-12-02", "staff_id": "{sup}", "shift": "night"}, 422),
])
async def test_roster_edit_bad_input_is_a_problem(hr, at_start, body, status) -> None:
    team = await hr.team(size=1)
    body = {k: v.format(sup=team["sup"]) if isinstance(v, str) else v for k, v in body.items()}
    answer = await hr.client.put(f"/rosters/{team['roster_id']}/entries", json=body,
                                 headers=team["sup_headers"])
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_roster_routes_refuse_bad_input(hr) -> None:
    sup = hr.as_("s", "supervisor")
    assert (await hr.client.post("/rosters", json={"month": "2026-13", "team": "x"},
                                 headers=sup)).status_code == 422
    assert (await hr.client.post("/rosters", json={"month": "2026-12", "team": "nobody"},
                                 headers=sup)).status_code == 422
    assert (await hr.client.post("/rosters", json={"month": "2026-12", "team": "x"},
                                 headers=hr.as_("a", "aftersales"))).status_code == 403
    assert (await hr.client.get("/rosters/2026-12:nobody", headers=sup)).status_code == 404
    assert (await hr.client.get("/rosters/bad", headers=sup)).status_code == 422
    assert (await hr.client.get("/rosters", params={"month": "12/2026"},
                                headers=sup)).status_code == 422
    assert (await hr.client.get("/duty", params={"day": "x"}, headers=sup)).status_code == 422


async def test_h5_swap_through_the_state_machine_publishes_shift_changed(hr, at_start,
                                                                         amqp_url) -> None:
    team = await hr.team()
    a1, a2 = team["aftersales"]
    async with tap(amqp_url, hr.settings.exchange, "hr.shift.changed") as seen:
        made = await hr.client.post("/requests/swaps", headers=hr.as_(a1, "aftersales"), json={
            "day": "2026-12-03", "colleague_id": a2, "colleague_day": "2026-12-03",
            "approver_id": team["sup"], "reason": "家里有事"})
        assert made.status_code == 201, made.text
        rid = made.json()["request_id"]
        accepted = await hr.client.post(f"/requests/{rid}/decisions", json={"action": "accept"},
                                        headers=hr.as_(a2, "aftersales"))
        assert accepted.json()["state"] == "awaiting_supervisor"
        approved = await hr.client.post(f"/requests/{rid}/decisions",
                                        json={"action": "approve"}, headers=team["sup_headers"])
        assert approved.status_code == 200, approved.text
        await eventually(lambda: seen.data("hr.shift.changed"), timeout=20)
    [change] = seen.data("hr.shift.changed")
    assert change["change_id"] == rid and change["reason"] == "swap"
    listed = await hr.client.get("/requests", headers=team["sup_headers"])
    assert [r["request_id"] for r in listed.json()] == [rid]
    mine = await hr.client.get(f"/requests/{rid}", headers=hr.as_(a1, "aftersales"))
    assert [h["action"] for h in mine.json()["history"]] == ["request", "accept", "approve"]
    other = await hr.client.get(f"/requests/{rid}", headers=hr.as_("stranger", "presales"))
    assert other.status_code == 403


async def test_refusals_name_their_rule_and_reason(hr, at_start) -> None:
    team = await hr.team()
    a1, a2 = team["aftersales"]
    me = hr.as_(a1, "aftersales")
    wrong_boss = await hr.client.post("/requests/swaps", headers=me, json={
        "day": "2026-12-03", "colleague_id": a2, "colleague_day": "2026-12-03",
        "approver_id": "boss"})
    assert wrong_boss.status_code == 409
    assert wrong_boss.json()["rule"] == "H11"
    assert wrong_boss.json()["reason"] == "not_direct_supervisor"
    late_leave = await hr.client.post("/requests/leave", headers=hr.as_(a2, "aftersales"), json={
        "day": "2026-12-03", "leave_type": "emergency", "approver_id": team["sup"]})
    assert (late_leave.json()["rule"], late_leave.json()["reason"]) == ("H8",
                                                                        "late_shift_leave")
    hr.clock.set(sh(3, 9, 30))
    started = await hr.client.post("/requests/swaps", headers=me, json={
        "day": "2026-12-03", "colleague_id": a2, "colleague_day": "2026-12-03",
        "approver_id": team["sup"]})
    assert (started.json()["rule"], started.json()["reason"]) == ("H5", "shift_started")
    assert started.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(("path", "body"), [
    ("/requests/swaps", {"day": "2026-12-03", "colleague_id": "x", "approver_id": "s"}),
    ("/requests/leave", {"day": "2026-12-03", "leave_type": "holiday", "approver_id": "s"}),
    ("/requests/missed-punches", {"day": "2026-12-03", "side": "in",
                                  "punch_at": "2026-12-03T09:00:00", "approver_id": "s"}),
    ("/requests/offline", {"start": "soon", "end": "later", "approver_id": "s"}),
])
async def test_request_bad_input_is_a_problem(hr, path, body) -> None:
    answer = await hr.client.post(path, json=body, headers=hr.as_("a", "aftersales"))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_request_decisions_refuse_bad_input_and_unknown_requests(hr) -> None:
    me = hr.as_("a", "aftersales")
    assert (await hr.client.post("/requests/swap-000000000000/decisions",
                                 json={"action": "approve"}, headers=me)).status_code == 404
    assert (await hr.client.post("/requests/swap-000000000000/decisions",
                                 json={"action": "explode"}, headers=me)).status_code == 422
    assert (await hr.client.get("/requests/..", headers=me)).status_code in (404, 422)
    assert (await hr.client.get("/requests", params={"month": "2026-1"},
                                headers=me)).status_code == 422
    assert (await hr.client.get("/requests", params={"staff_id": "someone"},
                                headers=me)).status_code == 403
