"""Classification and summaries over HTTP (T11, T12): suggestion categories as data, category,
subject, staff member and summary on opening and later, and the summaries a supervisor reads."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from support.ticketing import SettableClock, tap
from support.wait import eventually

pytestmark = pytest.mark.integration
SH = ZoneInfo("Asia/Shanghai")
DEFAULT_CATEGORIES = ["logistics", "other", "process", "product", "service", "website"]
SUMMARIES = ("/suggestions/summary", "/complaints/summary")


async def _post(service, number: str, action: str, body: dict, role: str = "aftersales",
                staff_id: str | None = None):
    return await service.client.post(f"/tickets/{number}/{action}", json=body,
                                     headers=service.as_(role, staff_id))


async def _open(service, body: dict, role: str = "aftersales"):
    body = {"channel": "im", "description": "客户意见", "importance": "low", "urgency": "low",
            "customer_id": await service.customer(), **body}
    return await service.client.post("/tickets", json=body, headers=service.as_(role))


def _refused(answer, field: str) -> None:
    """A 422 problem that names `field`: a rule's `field`, or a schema error's `errors`."""
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert answer.headers["content-type"].startswith("application/problem+json")
    named = {body.get("field"), *(e["field"] for e in body.get("errors", []))}
    assert field in named, body


async def test_t11_suggestion_categories_are_data_a_manager_edits(service) -> None:
    listed = await service.client.get("/suggestion-categories", headers=service.as_("presales"))
    assert listed.status_code == 200
    assert [c["name"] for c in listed.json()] == DEFAULT_CATEGORIES
    body = {"description": "包装 packaging"}
    refused = await service.client.put("/suggestion-categories/packaging", json=body,
                                       headers=service.as_("supervisor"))
    assert refused.status_code == 403
    put = await service.client.put("/suggestion-categories/packaging", json=body,
                                   headers=service.as_("manager", "mgr-cat"))
    assert put.status_code == 200 and put.json()["updated_by"] == "mgr-cat"
    opened = await _open(service, {"kind": "suggestion", "category": "packaging"})
    assert opened.status_code == 201 and opened.json()["category"] == "packaging"
    gone = await service.client.delete("/suggestion-categories/packaging",
                                       headers=service.as_("manager"))
    assert gone.status_code == 204
    again = await service.client.delete("/suggestion-categories/packaging",
                                        headers=service.as_("manager"))
    assert again.status_code == 404
    _refused(await _open(service, {"kind": "suggestion", "category": "packaging"}), "category")
    bad = await service.client.put("/suggestion-categories/Bad!", json=body,
                                   headers=service.as_("manager"))
    assert bad.status_code == 422


async def test_t11_t12_classified_on_opening(service) -> None:
    suggestion = await _open(service, {"kind": "suggestion", "category": "website"})
    assert suggestion.status_code == 201, suggestion.text
    assert suggestion.json()["category"] == "website"
    complaint = await _open(service, {"kind": "complaint", "grade": "general",
                                      "subject": "staff_service", "staff_id": "as-rude"})
    assert complaint.status_code == 201, complaint.text
    ticket = complaint.json()
    assert (ticket["subject"], ticket["staff_id"], ticket["category"]) == (
        "staff_service", "as-rude", None)
    timeline = await service.client.get(f"/tickets/{ticket['number']}/timeline",
                                        headers=service.as_("supervisor"))
    entry = timeline.json()["entries"][-1]
    assert entry["action"] == "classified"
    assert entry["details"] == {"subject": "staff_service", "staff_id": "as-rude"}


async def test_t11_t12_classified_later_by_the_assignee_or_a_supervisor(service) -> None:
    number = (await service.ticket(kind="suggestion"))["number"]
    await _post(service, number, "reassign", {"to_staff_id": "as-cls"}, role="supervisor")
    other = await _post(service, number, "classification", {"category": "product"})
    assert other.status_code == 403
    mine = await _post(service, number, "classification",
                       {"category": "process", "summary": "建议售后流程增加拍照指引"},
                       staff_id="as-cls")
    assert mine.status_code == 200, mine.text
    ticket = mine.json()
    assert (ticket["category"], ticket["summary"], ticket["summary_by"]) == (
        "process", "建议售后流程增加拍照指引", "as-cls")
    changed = await _post(service, number, "classification", {"category": "service"},
                          role="supervisor", staff_id="sup-cls")
    assert changed.json()["category"] == "service"
    assert changed.json()["summary"] == "建议售后流程增加拍照指引"
    timeline = await service.client.get(f"/tickets/{number}/timeline",
                                        headers=service.as_("supervisor"))
    entries = [e for e in timeline.json()["entries"] if e["action"] == "classified"]
    assert [(e["actor_id"], e["details"]) for e in entries] == [
        ("as-cls", {"category": "process", "summary": "建议售后流程增加拍照指引"}),
        ("sup-cls", {"category": "service"})]
    assert all(e["at"] for e in entries)
    empty = await _post(service, number, "classification", {}, role="supervisor")
    assert empty.status_code == 422
    _refused(await _post(service, number, "classification", {"summary": "长" * 501},
                         role="supervisor"), "summary")


async def test_t11_unknown_category_is_refused_naming_the_field(service) -> None:
    _refused(await _open(service, {"kind": "suggestion", "category": "price"}), "category")
    number = (await service.ticket(kind="suggestion"))["number"]
    _refused(await _post(service, number, "classification", {"category": "price"},
                         role="supervisor"), "category")


async def test_t11_t12_fields_of_another_kind_are_refused_naming_the_field(service) -> None:
    _refused(await _open(service, {"kind": "complaint", "grade": "major",
                                   "category": "website"}), "category")
    _refused(await _open(service, {"kind": "consultation", "category": "website"}), "category")
    _refused(await _open(service, {"kind": "suggestion", "subject": "product"}), "subject")
    _refused(await _open(service, {"kind": "complaint", "grade": "major", "subject": "product",
                                   "staff_id": "as-1"}), "staff_id")
    number = (await service.ticket(kind="complaint", grade="general"))["number"]
    _refused(await _post(service, number, "classification", {"category": "website"},
                         role="supervisor"), "category")


async def test_operator_objects_are_refused_as_category(service) -> None:
    _refused(await _open(service, {"kind": "suggestion", "category": {"$ne": ""}}), "category")
    number = (await service.ticket(kind="suggestion"))["number"]
    _refused(await _post(service, number, "classification", {"category": {"$ne": ""}},
                         role="supervisor"), "category")
    _refused(await _post(service, number, "classification", {"subject": {"$gt": ""}},
                         role="supervisor"), "subject")


async def test_t11_t12_summaries_are_for_supervisors_and_managers(service) -> None:
    period = {"from": "2026-03-01", "to": "2026-03-31"}
    for path in SUMMARIES:
        assert (await service.client.get(path, params=period)).status_code == 401
        presales = await service.client.get(path, params=period, headers=service.as_("presales"))
        assert presales.status_code == 403
        for role in ("supervisor", "manager"):
            answer = await service.client.get(path, params=period, headers=service.as_(role))
            assert answer.status_code == 200, answer.text
        backwards = await service.client.get(path, params={"from": "2026-03-31",
                                                           "to": "2026-03-01"},
                                             headers=service.as_("manager"))
        assert backwards.status_code == 422


@pytest.fixture(scope="module")
async def quiet_day(start_tickets, amqp_url):
    """A service of its own on a fixed shop day, so the summaries hold only this test's tickets."""
    clock = SettableClock(datetime(2026, 3, 10, 10, 0, tzinfo=SH))  # a Tuesday, working day
    async with (start_tickets(clock=clock, sla_scan_interval_s=3600) as svc,
                tap(amqp_url, svc.settings.exchange, "tickets.#") as seen):
        yield svc, seen


async def _suggestions(svc) -> dict[str, str]:
    numbers = {}
    for name, body in (("adopted", {"category": "website"}), ("open", {"category": "website"}),
                       ("handled", {"category": "product"}), ("unclassified", {})):
        answer = await _open(svc, {"kind": "suggestion", **body})
        numbers[name] = answer.json()["number"]
    await _post(svc, numbers["adopted"], "classification", {"summary": "详情页加尺码对照表"},
                role="supervisor", staff_id="sup-sum")
    adopted = await _post(svc, numbers["adopted"], "suggestion-adoption",
                          {"author_staff_id": "as-idea", "points": 10}, role="manager")
    assert adopted.status_code == 200, adopted.text
    for action, body in (("responses", {"message": "感谢建议"}),
                         ("rectification", {"note": "已转产品部"})):
        assert (await _post(svc, numbers["handled"], action, body)).status_code == 200
    return numbers


async def _complaints(svc) -> dict[str, str]:
    numbers = {}
    for name, body in (("rude", {"grade": "major"}),
                       ("fixed", {"grade": "general", "subject": "product"}),
                       ("pending", {"grade": "major", "subject": "product"})):
        numbers[name] = (await _open(svc, {"kind": "complaint", **body})).json()["number"]
    verified = await _post(svc, numbers["rude"], "staff-complaint-verification",
                           {"staff_id": "as-rude", "note": "录音核实属实"}, role="supervisor",
                           staff_id="sup-v")
    assert verified.status_code == 200, verified.text
    assert (verified.json()["subject"], verified.json()["staff_id"]) == ("staff_service",
                                                                         "as-rude")
    for action, body in (("responses", {"message": "您好"}), ("rectification", {"note": "已换货"})):
        assert (await _post(svc, numbers["fixed"], action, body)).status_code == 200
    return numbers


async def test_t11_suggestion_summary_figures_are_exact(quiet_day) -> None:
    svc, _ = quiet_day
    numbers = await _suggestions(svc)
    answer = await svc.client.get("/suggestions/summary", headers=svc.as_("manager"),
                                  params={"from": "2026-03-10", "to": "2026-03-10"})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert datetime.fromisoformat(report["period_start"]) == datetime(2026, 3, 10, tzinfo=SH)
    rows = {row["category"]: row for row in report["categories"]}
    assert list(rows) == [*DEFAULT_CATEGORIES, None]
    assert rows["website"] == {
        "category": "website", "count": 2, "adopted": 1, "points_awarded": 10, "open": 2,
        "latest": [{"ticket_number": numbers["adopted"], "summary": "详情页加尺码对照表",
                    "author_id": "sup-sum", "written_at": rows["website"]["latest"][0][
                        "written_at"], "adopted_points": 10}]}
    assert (rows["product"]["count"], rows["product"]["open"], rows["product"]["adopted"]) == (
        1, 0, 0)
    assert rows[None]["count"] == 1 and rows["service"]["count"] == 0
    next_day = await svc.client.get("/suggestions/summary", headers=svc.as_("supervisor"),
                                    params={"from": "2026-03-11", "to": "2026-03-11"})
    assert all(row["count"] == 0 for row in next_day.json()["categories"])


async def test_t12_complaint_summary_figures_are_exact(quiet_day) -> None:
    svc, seen = quiet_day
    numbers = await _complaints(svc)
    answer = await svc.client.get("/complaints/summary", headers=svc.as_("supervisor"),
                                  params={"from": "2026-03-10", "to": "2026-03-10"})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    groups = {(g["grade"], g["subject"]): (g["count"], g["rectified_in_time"])
              for g in report["groups"]}
    assert groups == {
        ("major", "product"): (1, 0), ("major", "logistics"): (0, 0),
        ("major", "staff_service"): (1, 0), ("major", None): (0, 0),
        ("general", "product"): (1, 1), ("general", "logistics"): (0, 0),
        ("general", "staff_service"): (0, 0), ("general", None): (0, 0)}
    assert report["verified_staff"] == [
        {"staff_id": "as-rude", "verified_complaints": 1, "points": -3}]
    found = await eventually(
        lambda: [d for d in seen.data("tickets.complaint.verified")
                 if d["ticket_number"] == numbers["rude"]], timeout=20,
        what="tickets.complaint.verified")
    assert found[0]["staff_id"] == "as-rude" and found[0]["verified_by"] == "sup-v"
