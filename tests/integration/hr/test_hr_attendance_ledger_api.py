"""H3, H4, H10, H13, H14-H23 routes on the real broker and database: punches and a re-imported
punch file, attendance, the day's close, a complaint event delivered twice, settlements started
at once, payroll export, the fund and per-person figures."""

from __future__ import annotations

import asyncio
import io
import uuid
from datetime import datetime

import pytest
from openpyxl import load_workbook

from integration.hr.conftest import sh
from ops_shared.contracts import new_envelope
from ops_shared.contracts.tickets import (
    CallbackCompleted,
    ComplaintVerified,
    SlaBreached,
    SuggestionAdopted,
)
from support.ticketing import send
from support.wait import eventually

pytestmark = pytest.mark.integration


def _csv(rows: list[tuple[str, str, datetime]]) -> bytes:
    lines = ["punch_id,staff_id,at"] + [f"{p},{s},{t.isoformat()}" for p, s, t in rows]
    return ("\n".join(lines) + "\n").encode()


async def _import(hr, body: bytes):
    return await hr.client.post("/punches/import", content=body, headers={
        **hr.as_("hr-admin", "hr_admin"), "content-type": "text/csv"})


async def test_h3_a_reimported_punch_file_adds_nothing(hr, at_start) -> None:
    team = await hr.team(size=1)
    a1 = team["aftersales"][0]
    tag = uuid.uuid4().hex[:6]
    body = _csv([(f"{tag}-1", a1, sh(2, 8, 55)), (f"{tag}-2", a1, sh(2, 18, 35))])
    first = await _import(hr, body)
    assert first.status_code == 200, first.text
    assert first.json() == {"rows": 2, "added": 2}
    again = await _import(hr, body)
    assert again.json() == {"rows": 2, "added": 0}
    assert await hr.db["punches"].count_documents({"staff_id": a1}) == 2
    hr.clock.set(sh(3, 8))
    attendance = await hr.client.get(f"/attendance/{a1}", params={"month": "2026-12"},
                                     headers=hr.as_(a1, "aftersales"))
    by_day = {a["day"]: a for a in attendance.json()}
    assert by_day["2026-12-02"]["status"] == "on_time"
    assert by_day["2026-12-01"]["status"] == "absent"
    assert by_day["2026-12-03"]["status"] == "upcoming"


@pytest.mark.parametrize("body", [
    b"punch_id,staff_id\nx,y\n", b"punch_id,staff_id,at\n,a,x\n", b"\xff\xfe",
    b"punch_id,staff_id,at\nD1,ghost,2026-12-02T09:00\n"])
async def test_h3_a_bad_punch_file_is_refused_whole(hr, body) -> None:
    answer = await _import(hr, body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "file"


async def test_h3_own_punch_and_who_may_import(hr, at_start) -> None:
    staff_id = f"p-{uuid.uuid4().hex[:6]}"
    await hr.hire(staff_id)
    own = await hr.client.post("/punches", headers=hr.as_(staff_id, "aftersales"))
    assert own.status_code == 201 and own.json()["source"] == "self"
    stranger = await hr.client.post("/punches", headers=hr.as_("ghost", "aftersales"))
    assert stranger.status_code == 404
    refused = await hr.client.post("/punches/import", content=b"punch_id,staff_id,at\n",
                                   headers={**hr.as_("s", "supervisor"),
                                            "content-type": "text/csv"})
    assert refused.status_code == 403
    other = await hr.client.get(f"/attendance/{staff_id}", params={"month": "2026-12"},
                                headers=hr.as_("someone", "presales"))
    assert other.status_code in (403, 404)


async def test_h11_day_close_records_absence_once(hr, at_start) -> None:
    team = await hr.team(size=1)
    a1 = team["aftersales"][0]
    hr.clock.set(sh(6, 1))
    for _ in range(2):
        closed = await hr.client.post("/days/2026-12-05/close", headers=hr.admin)
        assert closed.status_code == 200, closed.text
    entries = await hr.client.get(f"/ledger/{a1}", params={"month": "2026-12"},
                                  headers=team["sup_headers"])
    mine = [(e["rule"], e["amount"]) for e in entries.json() if e["kind"] == "money"]
    assert mine == [("H11", -30_000)]


async def test_h17_h23_the_same_complaint_delivered_twice_gives_one_entry(hr, amqp_url
                                                                          ) -> None:
    staff_id = f"c-{uuid.uuid4().hex[:6]}"
    await hr.hire(staff_id)
    envelope = new_envelope(ComplaintVerified(
        ticket_number="TK-20261203-0001", staff_id=staff_id, verified_by="sup",
        note="态度差", verified_at=sh(3, 10)))
    for _ in range(2):
        await send(amqp_url, hr.settings.exchange, envelope)
    suggestion = SuggestionAdopted(ticket_number="TK-20261203-0002", author_staff_id=staff_id,
                                   points=5, adopted_by="boss", adopted_at=sh(3, 11))
    await send(amqp_url, hr.settings.exchange, suggestion)

    async def recorded():
        return len(await hr.db["ledger"].find({"staff_id": staff_id}).to_list()) == 2

    await eventually(recorded, timeout=30, what="complaint and suggestion recorded")
    await asyncio.sleep(0.5)  # a second complaint entry would show up by now
    entries = (await hr.client.get(f"/ledger/{staff_id}", params={"month": "2026-12"},
                                   headers=hr.admin)).json()
    assert sorted((e["rule"], e["amount"]) for e in entries) == [("H17", -3), ("H18", 5)]
    assert {e["source"] for e in entries if e["rule"] == "H17"} == {f"event:{envelope.id}"}


async def test_h19_non_work_records_and_ledger_visibility(hr, at_start) -> None:
    team = await hr.team(size=1)
    a1 = team["aftersales"][0]
    steps = []
    for _ in range(3):
        answer = await hr.client.post("/ledger/non-work", json={"staff_id": a1, "note": "刷手机"},
                                      headers=team["sup_headers"])
        assert answer.status_code == 201, answer.text
        steps.append((answer.json()["kind"], answer.json()["flag"]))
    assert steps == [("flag", "warning"), ("points", None), ("flag", "dismissal")]
    other = await hr.client.get(f"/ledger/{a1}", params={"month": "2026-12"},
                                headers=hr.as_(team["presales"][0], "presales"))
    assert other.status_code == 403
    bad = await hr.client.get(f"/ledger/{a1}", params={"month": "2026-00"}, headers=hr.admin)
    assert bad.status_code == 422


async def test_h21_two_settlements_started_at_once_give_one(start_hr) -> None:
    async with start_hr() as hr:
        team = await hr.team(size=1)
        a1 = team["aftersales"][0]
        for _ in range(5):
            await hr.client.post("/ledger/non-work", json={"staff_id": a1, "note": "x"},
                                 headers=team["sup_headers"])
        first, second = await asyncio.gather(*(
            hr.client.post("/settlements", json={"month": "2026-12"}, headers=headers)
            for headers in (team["sup_headers"], hr.manager)))
        assert first.status_code == second.status_code == 201, (first.text, second.text)
        same = ("month", "state", "created_by", "people")
        assert {k: first.json()[k] for k in same} == {k: second.json()[k] for k in same}
        assert await hr.db["settlements"].count_documents({"_id": "2026-12"}) == 1
        person = next(p for p in first.json()["people"] if p["staff_id"] == a1)
        assert (person["points"], person["dismissal"]) == (97, True)
        approve_early = await hr.client.post("/settlements/2026-12/approve", headers=hr.manager)
        assert approve_early.status_code == 409
        assert (await hr.client.post("/settlements/2026-12/review",
                                     headers=team["sup_headers"])).status_code == 200
        not_manager = await hr.client.post("/settlements/2026-12/approve",
                                           headers=team["sup_headers"])
        assert not_manager.status_code == 403
        approved = await hr.client.post("/settlements/2026-12/approve", headers=hr.manager)
        assert approved.json()["state"] == "approved"
        fund = (await hr.client.get("/fund", headers=hr.manager)).json()
        assert fund["balance_fen"] == person["point_fine_fen"] == 3_000
        spend = await hr.client.post("/fund/spending", json={"amount_fen": 5_000, "note": "x"},
                                     headers=hr.manager)
        assert (spend.status_code, spend.json()["rule"]) == (409, "H22")
        csv_file = await hr.client.get("/settlements/2026-12/payroll.csv", headers=hr.admin)
        assert csv_file.status_code == 200
        assert csv_file.text.lstrip("\ufeff").startswith("工号,姓名,岗位,月份,积分")
        xlsx = await hr.client.get("/settlements/2026-12/payroll.xlsx", headers=hr.admin)
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert next(sheet.iter_rows(values_only=True))[:2] == ("工号", "姓名")
        own = await hr.client.get("/settlements/2026-12", headers=hr.as_(a1, "aftersales"))
        assert [p["staff_id"] for p in own.json()["people"]] == [a1]
        assert (await hr.client.get("/settlements/2026-11",
                                    headers=hr.admin)).status_code == 404
        assert (await hr.client.get("/settlements/2026-12/payroll.csv",
                                    headers=team["sup_headers"])).status_code == 403


async def test_figures_per_person_for_supervisors(hr, at_start, amqp_url) -> None:
    team = await hr.team(size=1)
    a1 = team["aftersales"][0]
    await send(amqp_url, hr.settings.exchange, SlaBreached(
        ticket_number="TK-1", metric="first_response", policy="p", due_at=sh(2, 10),
        breached_at=sh(2, 10, 5), responsible_id=a1))
    for satisfaction in (4, 5):
        await send(amqp_url, hr.settings.exchange, CallbackCompleted(
            ticket_number="TK-2", agent_id=a1, satisfaction=satisfaction,
            completed_at=sh(2, 11)))

    async def figures():
        answer = await hr.client.get("/figures", params={"month": "2026-12"},
                                     headers=team["sup_headers"])
        mine = [f for f in answer.json() if f["staff_id"] == a1]
        return mine and mine[0]["callbacks"] == 2 and mine[0]

    mine = await eventually(figures, timeout=30, what="figures")
    assert (mine["sla_breaches"], mine["satisfaction_avg"], mine["points"]) == (1, 4.5, 100)
    assert mine["shifts"] == 31
    refused = await hr.client.get("/figures", params={"month": "2026-12"},
                                  headers=hr.as_(a1, "aftersales"))
    assert refused.status_code == 403


async def test_h13_presence_from_the_integration_account(hr, at_start) -> None:
    staff_id = f"im-{uuid.uuid4().hex[:6]}"
    await hr.hire(staff_id)
    ok = await hr.client.post("/presence", json={"staff_id": staff_id, "status": "away"},
                              headers=hr.as_("im-bridge", "ops_admin"))
    assert ok.status_code == 201, ok.text
    refused = await hr.client.post("/presence", json={"staff_id": staff_id, "status": "online"},
                                   headers=hr.as_(staff_id, "aftersales"))
    assert refused.status_code == 403
    bad = await hr.client.post("/presence", json={"staff_id": staff_id, "status": "busy"},
                               headers=hr.as_("im-bridge", "ops_admin"))
    assert bad.status_code == 422
