"""Story 1 (issue 10): a complaint about a staff member is verified; HR records -3 points for
that person, once, even when the event is replayed from the dead letters (T12, H17, H23).

Staff act through the gateway: after-sales logs the complaint, the supervisor verifies it, the
supervisor reads the ledger, the operator (opsadmin1) replays from hr's dead letters. The dead
letter is made the way the broker makes one: a second copy of the same event (as a relay
re-publishes after a crash) whose consumers die holding it until the queue's delivery limit
sends it to `hr.dead`.
"""

from __future__ import annotations

import pytest
from stories_a_steps import (
    consumed,
    dead_letter_of,
    dead_lettered_by_the_broker,
    envelope_seen,
    ledger,
    month_of,
    next_month,
    open_ticket,
)

from support.wait import eventually

pytestmark = pytest.mark.integration
VERIFIED = "tickets.complaint.verified"


async def test_story_1_t12_h17_verified_complaint_costs_3_points_once_even_replayed(
        whole) -> None:
    # A customer complains about pre-sales agent presales1; after-sales logs it.
    ticket = await open_ticket(whole, "aftersales1", kind="complaint", grade="general",
                               description="客服 presales1 回复敷衍，态度恶劣")
    number = ticket["number"]

    # T12: the supervisor checks the chat records and verifies it, with a note.
    path = f"/api/tickets/tickets/{number}/staff-complaint-verification"
    body = {"staff_id": "presales1", "note": "查看聊天记录，投诉属实"}
    whole.problem(await whole.post("aftersales1", path, body), 403, "forbidden")
    await whole.ok("supervisor1", "POST", path, body, status=200)
    await whole.until_published(VERIFIED, ticket_number=number)
    event = envelope_seen(whole, VERIFIED, ticket_number=number)
    month = month_of(event.occurred_at)
    source = f"event:{event.id}"

    # H17: hr records -3 points for presales1, naming the rule, the event and the verifier.
    async def entry_for_event(viewer: str = "supervisor1") -> list[dict]:
        # H21: if the month was closed meanwhile, the entry is a correction in the next one.
        return [e for m in (month, next_month(month))
                for e in await ledger(whole, viewer, "presales1", m, "H17")
                if e["source"] == source]

    entries = await eventually(entry_for_event, timeout=30, what="the H17 entry")
    assert [(e["kind"], e["amount"], e["author"]) for e in entries] == [
        ("points", -3, "supervisor1")]
    assert number in entries[0]["note"]

    # The same event again, and the broker dead-letters this copy in hr.
    await dead_lettered_by_the_broker(whole, "hr", event)
    dead = await dead_letter_of(whole, "opsadmin1", "hr", event.id)
    assert dead["type"] == VERIFIED and dead["routing_key"] == VERIFIED
    assert dead["status"] == "dead" and "delivery_limit" in dead["error"], dead

    # Only operators see and replay hr's dead letters.
    replay = f"/api/hr/admin/dead-letters/{dead['id']}/replay"
    whole.problem(await whole.post("supervisor1", replay), 403, "forbidden")
    duplicates = consumed(whole, "hr", "inbox_duplicates_total", type=VERIFIED)
    replayed = await whole.ok("opsadmin1", "POST", replay, status=200)
    assert replayed["status"] == "replayed"

    # hr receives the replayed copy and recognises the event: no second entry (H23).
    await eventually(
        lambda: consumed(whole, "hr", "inbox_duplicates_total", type=VERIFIED) > duplicates,
        timeout=30, what="hr received the replayed copy")
    assert await entry_for_event() == entries
    assert await entry_for_event("hradmin1") == entries

    # A replayed letter is not replayed twice; it stays for audit with who replayed it.
    whole.problem(await whole.post("opsadmin1", replay), 409, "invalid-state")
    kept = await whole.ok("opsadmin1", "GET", f"/api/hr/admin/dead-letters/{dead['id']}")
    assert kept["status"] == "replayed" and kept["body"]["id"] == event.id
