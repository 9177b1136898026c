"""Story 6 (issue 10): month end (H3, H4, H10, H11, H13, H14-H23, T4, T11, T12, T14).

A month of the customer-service team with ledger entries from every source: tickets' events
(a verified complaint, an adopted suggestion; callbacks and their satisfaction in the figures),
hr's own day close (lateness, early leave, absence, IM presence) and the supervisor's record of
non-work activity. The supervisor drafts and reviews the settlement, the manager approves it,
the payroll export (CSV and XLSX) matches the ledger, and what arrives for the month after it
closed lands in the next month as a dated correction.

The month is moved to by the clock, so this story runs a whole system of its own (its own
names, exchange and clock), starting in March 2027: the shared `whole` keeps its clock.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from stories_b_steps import SHOP_TZ, handled

from ops_shared.contracts import new_envelope
from ops_shared.contracts.tickets import ComplaintVerified
from support.wait import eventually

pytestmark = pytest.mark.integration
HR, TK = "/api/hr", "/api/tickets"
MONTH, NEXT = "2027-03", "2027-04"
DAY_1, DAY_2 = date(2027, 3, 2), date(2027, 3, 3)  # a Tuesday and a Wednesday
SHIFT_HOURS = {"cs_early": (time(9), time(18, 30)), "cs_late": (time(13), time(23, 30)),
               "desk_early": (time(9), time(18, 30))}
TEAM = ("presales1", "presales2", "aftersales1", "aftersales2", "orderdesk1", "warehouse1")
# H14 (rulebook defaults): yuan per point lost, by band from 100 down to 60.
BANDS = ((90, 10), (80, 20), (70, 30), (60, 40))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHOP_TZ)


Whole = Any  # conftest's Whole: the gateway, the services behind it, their events


@pytest.fixture(scope="module")
def month_end(whole_of_its_own: Whole) -> Whole:
    """A system of its own, at 08:00 on the first of the month (shop time)."""
    whole_of_its_own.clock.set(at(date(2027, 3, 1), 8))
    return whole_of_its_own


async def _rosters_published(system: Whole) -> dict[str, dict]:
    """H2: the supervisor publishes the month's rosters; tickets learns who is on duty."""
    for team in ("customer_service", "order_desk"):
        roster = await system.ok("supervisor1", "POST", f"{HR}/rosters",
                                 {"month": MONTH, "team": team}, status=201)
        published = await system.ok("supervisor1", "POST",
                                    f"{HR}/rosters/{roster['roster_id']}/publish")
        assert published["status"] == "published"
        message = await eventually(lambda rid=roster["roster_id"]: [
            m for m in system.seen.of("hr.roster.published") if m["data"]["roster_id"] == rid],
            timeout=30, what=f"{team}'s roster published")
        await handled(system, "tickets", message[0]["id"])
    duty = await system.ok("supervisor1", "GET", f"{HR}/duty?day={DAY_1}")
    return {e["staff_id"]: e for e in duty}


def _window(entry: dict) -> tuple[datetime, datetime]:
    start, end = SHIFT_HOURS[entry["shift"]]
    day = date.fromisoformat(entry["day"])
    return datetime.combine(day, start, SHOP_TZ), datetime.combine(day, end, SHOP_TZ)


async def _tickets_work(system: Whole) -> str:
    """T12, T11, T4 during the day: a verified complaint about presales1, presales2's adopted
    suggestion, and a complaint rectified and called back (satisfaction 4). The agent who
    called back."""
    async def open_ticket(by: str, **fields: object) -> dict:
        return await system.ok(by, "POST", f"{TK}/tickets", {
            "customer": {"name": "赵六", "phone": "13600002222"}, "channel": "phone",
            "importance": "high", "urgency": "low", **fields}, status=201)

    complaint = await open_ticket("aftersales1", kind="complaint", grade="general",
                                  description="客服 presales1 态度恶劣，不回复消息")
    await system.ok("supervisor1", "POST",
                    f"{TK}/tickets/{complaint['number']}/staff-complaint-verification",
                    {"staff_id": "presales1", "note": "查看聊天记录，投诉属实"})
    suggestion = await open_ticket("presales2", kind="suggestion",
                                   description="建议在商品页增加手工鞋尺码对照表")
    await system.ok("manager1", "POST",
                    f"{TK}/tickets/{suggestion['number']}/suggestion-adoption",
                    {"author_staff_id": "presales2", "points": 10})

    product = await open_ticket("aftersales1", kind="complaint", grade="general",
                                description="鞋底开胶，要求处理")
    agent = product["assignee_id"]
    assert agent in ("aftersales1", "aftersales2"), product  # after-sales on duty (roster)
    path = f"{TK}/tickets/{product['number']}"
    await system.ok(agent, "POST", f"{path}/responses", {"message": "您好，马上为您处理。"})
    await system.ok(agent, "POST", f"{path}/rectification", {"note": "已补寄新鞋，顾客确认收到"})
    closed = await system.ok(agent, "POST", f"{path}/callbacks", {
        "question": "问题解决了吗？", "satisfaction": 4,
        "confirmation": {"kind": "verbal_consent", "value": f"rec-{uuid.uuid4().hex[:6]}"}})
    assert closed["state"] == "closed"
    for kind, match in (("tickets.complaint.verified", {"ticket_number": complaint["number"]}),
                        ("tickets.suggestion.adopted", {"ticket_number": suggestion["number"]}),
                        ("tickets.ticket.opened", {"ticket_number": product["number"]}),
                        ("tickets.callback.completed", {"ticket_number": product["number"]})):
        await system.until_published(kind, **match)  # then hr has applied it:
        for message in system.seen.of(kind):
            if all(message["data"].get(k) == v for k, v in match.items()):
                await handled(system, "hr", message["id"])
    return agent


async def _a_working_day(system: Whole, duty: dict[str, dict]) -> str:
    """DAY_1 as it happened: punches (one staff member's own, the others from the time
    clock), lateness, an early leave, an absence, an IM outage, the tickets' work, and the
    supervisor's records of non-work activity. The agent who made the callback."""
    aftersales1_in, aftersales1_out = _window(duty["aftersales1"])
    system.clock.set(aftersales1_in - timedelta(minutes=5))
    await system.ok("aftersales1", "POST", f"{HR}/punches", status=201)

    rows = ["punch_id,staff_id,at"]
    plan = {"aftersales2": (0, 0), "presales1": (12, 0), "presales2": (0, 30)}
    for staff_id, (late, early) in plan.items():
        start, end = _window(duty[staff_id])
        rows += [f"D1-{staff_id}-in,{staff_id},{(start + timedelta(minutes=late)).isoformat()}",
                 f"D1-{staff_id}-out,{staff_id},{(end - timedelta(minutes=early)).isoformat()}"]
    # orderdesk1 does not come (absent without leave).
    csv_body = "\n".join(rows) + "\n"
    imported = await system.call("hradmin1", "POST", f"{HR}/punches/import",
                                 content=csv_body.encode(),
                                 headers={"Content-Type": "text/csv"})
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"rows": 6, "added": 6}
    again = await system.call("hradmin1", "POST", f"{HR}/punches/import",
                              content=csv_body.encode(), headers={"Content-Type": "text/csv"})
    assert again.json() == {"rows": 6, "added": 0}  # H3: a re-import adds nothing

    system.clock.set(at(DAY_1, 14))
    agent = await _tickets_work(system)
    for status, minute in (("offline", 0), ("online", 20)):  # H13: an IM outage at 15:00
        await system.ok("opsadmin1", "POST", f"{HR}/presence", {
            "staff_id": "aftersales1", "status": status, "at": at(DAY_1, 15, minute).isoformat()},
            status=201)
    for note in ("上班时间刷短视频", "上班时间网购"):  # H19: a warning, then -3 points
        await system.ok("supervisor1", "POST", f"{HR}/ledger/non-work",
                        {"staff_id": "presales2", "note": note}, status=201)

    system.clock.set(aftersales1_out + timedelta(minutes=1))
    await system.ok("aftersales1", "POST", f"{HR}/punches", status=201)

    system.clock.set(at(DAY_2, 0, 30))  # the night after: the day is closed
    closed = await system.ok("hradmin1", "POST", f"{HR}/days/{DAY_1}/close")
    assert closed["entries_added"] > 0
    again = await system.ok("hradmin1", "POST", f"{HR}/days/{DAY_1}/close")
    assert again["entries_added"] == 0  # H23: nothing twice
    return agent


async def _ledger(system: Whole, month: str) -> dict[str, list[dict]]:
    return {staff_id: await system.ok("hradmin1", "GET", f"{HR}/ledger/{staff_id}?month={month}")
            for staff_id in ("supervisor1", *TEAM)}


def _rules(entries: list[dict]) -> list[tuple[str, str, int, str | None]]:
    return sorted((e["rule"], e["kind"], e["amount"], e["flag"]) for e in entries)


def _point_fine_fen(points: int) -> int:
    fine, top = 0, 100
    for floor, yuan in BANDS:
        lost = max(0, min(top, 100) - max(points, floor))
        fine += lost * yuan * 100
        top = floor
    return fine


def _expected(ledger: dict[str, list[dict]]) -> dict[str, dict[str, int | bool]]:
    """What H14-H16 and H20 make of each person's ledger (the test's own reckoning)."""
    out: dict[str, dict[str, int | bool]] = {}
    for staff_id, entries in ledger.items():
        points = 100 + sum(e["amount"] for e in entries if e["kind"] == "points")
        money = [e["amount"] for e in entries if e["kind"] == "money"]
        flags = {e["flag"] for e in entries if e["kind"] == "flag"}
        out[staff_id] = {
            "points": points, "point_fine_fen": _point_fine_fen(points),
            "cash_fines_fen": -sum(m for m in money if m < 0),
            "cash_awards_fen": sum(m for m in money if m > 0),
            "award_fen": 10_000 if points >= 110 else 0,
            "full_attendance_fen": 0 if "full_attendance_lost" in flags else 10_000,
            "performance_fen": 20_000 if points >= 100 else 0,
            "dismissal": points < 60 or "dismissal" in flags, "team_fen": 0}
    team = [out[s]["points"] for s in TEAM]
    out["supervisor1"]["team_fen"] = (10_000 if 2 * sum(p >= 100 for p in team) >= len(team)
                                      else 0) - (10_000 if min(team) < 60 else 0)
    for figures in out.values():
        figures["net_fen"] = (figures["cash_awards_fen"] + figures["award_fen"]
                              + figures["full_attendance_fen"] + figures["performance_fen"]
                              + figures["team_fen"] - figures["point_fine_fen"]
                              - figures["cash_fines_fen"])
    return out


def _yuan(fen: int) -> str:
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def _export_row(staff_id: str, e: dict[str, int | bool]) -> tuple[str, ...]:
    return (staff_id, str(e["points"]), _yuan(int(e["point_fine_fen"])),
            _yuan(int(e["cash_fines_fen"])), _yuan(int(e["full_attendance_fen"])),
            _yuan(int(e["performance_fen"])), _yuan(int(e["award_fen"])),
            _yuan(int(e["cash_awards_fen"])), _yuan(int(e["team_fen"])),
            _yuan(int(e["net_fen"])), "是" if e["dismissal"] else "否")


async def _late_complaint(system: Whole, staff_id: str, verified_at: datetime) -> str:
    """tickets' event for a complaint verified in the month, delivered late (after an outage
    of its relay); hr has applied it when this returns. Its envelope id."""
    envelope = new_envelope(ComplaintVerified(
        ticket_number=f"TK-{verified_at:%Y%m%d}-{uuid.uuid4().int % 10**6:06d}",
        staff_id=staff_id, verified_by="supervisor1", note="迟到的投诉核实",
        verified_at=verified_at))
    await system.publish(envelope)
    await handled(system, "hr", envelope)
    return envelope.id


async def test_story_6_h21_month_end_settled_approved_exported_and_closed(month_end) -> None:
    system = month_end
    duty = await _rosters_published(system)
    assert set(duty) == {"presales1", "presales2", "aftersales1", "aftersales2", "orderdesk1"}
    agent = await _a_working_day(system, duty)

    # H23: every source left its entries in March, each naming its rule and source.
    ledger = await _ledger(system, MONTH)
    assert _rules(ledger["presales1"]) == [("H17", "points", -3, None),
                                           ("H20", "flag", 0, "full_attendance_lost")]
    assert _rules(ledger["presales2"]) == [
        ("H10", "money", -5_000, None), ("H18", "points", 10, None),
        ("H19", "flag", 0, "warning"), ("H19", "points", -3, None),
        ("H20", "flag", 0, "full_attendance_lost")]
    assert _rules(ledger["aftersales1"]) == [("H13", "money", -5_000, None)]
    assert ledger["aftersales2"] == []
    absence = _rules(ledger["orderdesk1"])
    assert [(r, k, f) for r, k, _, f in absence] == [
        ("H11", "money", None), ("H20", "flag", "full_attendance_lost")]
    assert absence[0][2] < 0  # a day's average wage
    sources = {e["source"].split(":")[0] for entries in ledger.values() for e in entries}
    assert sources == {"event", "day", "record"}

    # T14: the supervisor's figures of the month: the callback and its satisfaction.
    system.clock.set(at(date(2027, 4, 9), 10))  # the day before pay day (H21)
    figures = {f["staff_id"]: f for f in
               await system.ok("supervisor1", "GET", f"{HR}/figures?month={MONTH}")}
    assert (figures[agent]["callbacks"], figures[agent]["satisfaction_avg"]) == (1, 4.0)
    assert figures[agent]["tickets"] >= 1
    assert "manager1" not in figures

    # H21: only a supervisor or the manager drafts; the supervisor drafts and reviews.
    system.problem(await system.post("presales1", f"{HR}/settlements", {"month": MONTH}), 403)
    draft = await system.ok("supervisor1", "POST", f"{HR}/settlements", {"month": MONTH},
                            status=201)
    assert draft["state"] == "draft"
    # A complaint of March 31 arrives after the draft, before approval: it is March's.
    await _late_complaint(system, "aftersales2", at(date(2027, 3, 31), 20))
    reviewed = await system.ok("supervisor1", "POST", f"{HR}/settlements/{MONTH}/review")
    assert reviewed["state"] == "reviewed"
    system.problem(await system.post("supervisor1", f"{HR}/settlements/{MONTH}/approve"), 403)
    approved = await system.ok("manager1", "POST", f"{HR}/settlements/{MONTH}/approve")
    assert (approved["state"], approved["approved_by"]) == ("approved", "manager1")

    # The settlement is what the rules make of the ledger, as it stood at approval.
    ledger = await _ledger(system, MONTH)
    assert _rules(ledger["aftersales2"]) == [("H17", "points", -3, None)]
    expected = _expected(ledger)
    settled = {p["staff_id"]: p for p in approved["people"]}
    for staff_id, figures_of in expected.items():
        person = settled[staff_id]
        assert {k: person[k] for k in figures_of} == figures_of, staff_id
        assert sorted(person["entry_ids"]) == sorted(e["entry_id"] for e in ledger[staff_id])
    assert expected["presales2"]["points"] == 107 and expected["presales1"]["points"] == 97
    assert expected["supervisor1"]["team_fen"] == 10_000  # H16: 4 of 6 at 100 or more

    # The supervisor sees their team's lines only; the manager everyone's.
    seen = await system.ok("supervisor1", "GET", f"{HR}/settlements/{MONTH}")
    assert {"manager1", "hradmin1"}.isdisjoint(p["staff_id"] for p in seen["people"])

    # The payroll export, CSV and XLSX, for HR admin: the same lines.
    system.problem(await system.get("supervisor1", f"{HR}/settlements/{MONTH}/payroll.csv"),
                   403)
    as_csv = await system.get("hradmin1", f"{HR}/settlements/{MONTH}/payroll.csv")
    assert as_csv.status_code == 200, as_csv.text
    csv_rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    as_xlsx = await system.get("hradmin1", f"{HR}/settlements/{MONTH}/payroll.xlsx")
    assert as_xlsx.status_code == 200, as_xlsx.text
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    xlsx_rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(
        values_only=True)]
    for rows in (csv_rows, xlsx_rows):
        assert rows[0][:5] == ["工号", "姓名", "岗位", "月份", "积分"]
        lines = {r[0]: r for r in rows[1:]}
        assert {r[3] for r in rows[1:]} == {MONTH}
        for staff_id, figures_of in expected.items():
            line = lines[staff_id]
            assert (line[0], *line[4:]) == _export_row(staff_id, figures_of), staff_id

    # H22: the month's fines went to the activity fund.
    fund = await system.ok("manager1", "GET", f"{HR}/fund")
    fines = {e["source"]: e["amount_fen"] for e in fund["entries"]
             if e["source"].startswith(f"settlement:{MONTH}:")}
    assert fines == {f"settlement:{MONTH}:{s}": int(f["point_fine_fen"]) + int(
        f["cash_fines_fen"]) + max(0, -int(f["team_fen"]))
        for s, f in expected.items() if int(f["point_fine_fen"]) + int(f["cash_fines_fen"])
        + max(0, -int(f["team_fen"])) > 0}

    # H21: after approval, March is closed. A late event for March and a late close of a
    # March day land in April as dated corrections; March's ledger and settlement stay.
    late = await _late_complaint(system, "presales1", at(date(2027, 3, 31), 21))
    closed_late = await system.ok("hradmin1", "POST", f"{HR}/days/{DAY_2}/close")
    assert closed_late["entries_added"] > 0
    assert await _ledger(system, MONTH) == ledger
    april = await _ledger(system, NEXT)
    moved = [e for e in april["presales1"] if e["rule"] == "H17"]
    assert [(e["source"], e["amount"], e["corrects"]) for e in moved] == [
        (f"event:{late}", -3, MONTH)]
    day_2 = [e for entries in april.values() for e in entries
             if e["source"].startswith(f"day:{DAY_2}:")]
    assert day_2 and {e["corrects"] for e in day_2} == {MONTH}
    after = await system.ok("hradmin1", "GET", f"{HR}/settlements/{MONTH}")
    assert after["people"] == approved["people"]
    again = await system.get("hradmin1", f"{HR}/settlements/{MONTH}/payroll.csv")
    assert again.content == as_csv.content

