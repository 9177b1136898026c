"""The dead-letter admin API: list, inspect, replay, discard; operators only; problem details."""

from __future__ import annotations

import pytest

from ops_shared.messaging import DEAD_LETTERS
from ops_shared.service import create_service_app
from support.broker import publish, raw_channel
from support.effects import CountingHandler, counting_service, effect_counts
from support.events import THING, thing
from support.harness import running
from support.problems import assert_problem
from support.wait import eventually

pytestmark = pytest.mark.integration
BASE = "/admin/dead-letters"



async def test_dead_letter_admin_api(isolation, keys) -> None:
    settings = isolation.settings("dladmin")
    broken = {"fail-then-fixed", "still-broken"}
    handler = CountingHandler(fails=lambda e: e.thing_id in broken)
    app = create_service_app(settings, counting_service(settings, handler))
    admin = keys.headers("ops1", "ops_admin")

    async with running(app) as client, raw_channel(settings.amqp_url) as channel:
        db = app.state.runtime.database.db
        failing, garbage_id = thing("fail-then-fixed"), "garbage-1"
        still_broken = thing("still-broken")
        for envelope in (failing, still_broken):
            await publish(channel, settings.exchange, envelope.model_dump_json().encode(),
                          routing_key=THING, message_id=envelope.id, type_=THING)
        await publish(channel, settings.exchange, b"\x00 not an event", routing_key=THING,
                      message_id=garbage_id, type_=THING)

        async def listed() -> dict[str, dict]:
            response = await client.get(BASE, headers=admin)
            assert response.status_code == 200, response.text
            return {d["message_id"]: d for d in response.json()}

        dead = await eventually(
            lambda: _with_all(listed(), failing.id, still_broken.id, garbage_id), timeout=30)
        summary = dead[failing.id]
        assert summary["status"] == "dead" and summary["routing_key"] == THING
        assert summary["attempts"] == len(settings.retry_delays_ms) + 1
        assert summary["error_type"] == "HandlerFailed" and not summary["permanent"]

        # Inspect: the error, the trace and the body (as an envelope when it is one).
        detail = await client.get(f"{BASE}/{summary['id']}", headers=admin)
        assert detail.status_code == 200, detail.text
        assert detail.json()["body"]["id"] == failing.id
        assert "HandlerFailed" in detail.json()["trace"]
        garbage = (await client.get(f"{BASE}/{dead[garbage_id]['id']}", headers=admin)).json()
        assert garbage["permanent"] is True and "not an event" in garbage["body"]

        # Replay after the cause is fixed: the handler now succeeds, and the event is handled.
        broken.discard("fail-then-fixed")
        replayed = await client.post(f"{BASE}/{summary['id']}/replay", headers=admin)
        assert replayed.status_code == 200, replayed.text
        assert replayed.json()["status"] == "replayed"
        await eventually(lambda: _equals(effect_counts(db), {"fail-then-fixed": 1}), timeout=30)
        stored = await db[DEAD_LETTERS].find_one({"_id": summary["id"]})
        assert stored["replayed_by"] == "ops1"
        again = await client.post(f"{BASE}/{summary['id']}/replay", headers=admin)
        body = assert_problem(again, 409, "invalid-state")
        assert body["current_state"] == "replayed"

        # Replayed while still broken: it dies again, under the same event id, with its own
        # attempts, and the first dead letter stays "replayed".
        first = dead[still_broken.id]["id"]
        assert (await client.post(f"{BASE}/{first}/replay", headers=admin)).status_code == 200
        again_dead = await eventually(lambda: _with_all(listed(), still_broken.id), timeout=30)
        assert again_dead[still_broken.id]["id"] != first
        assert again_dead[still_broken.id]["attempts"] == len(settings.retry_delays_ms) + 1
        assert again_dead[still_broken.id]["routing_key"] == THING
        assert (await db[DEAD_LETTERS].find_one({"_id": first}))["status"] == "replayed"
        discard_ids = [again_dead[still_broken.id]["id"]]

        # Discard the garbage: kept for audit, gone from the default (dead) list.
        discarded = await client.post(f"{BASE}/{dead[garbage_id]['id']}/discard", headers=admin)
        assert discarded.status_code == 200 and discarded.json()["status"] == "discarded"
        for dead_id in discard_ids:
            await client.post(f"{BASE}/{dead_id}/discard", headers=admin)
        assert_problem(await client.post(f"{BASE}/{dead[garbage_id]['id']}/discard",
                                         headers=admin), 409, "invalid-state")
        assert await listed() == {}
        audit = await client.get(BASE, params={"status": "discarded"}, headers=admin)
        assert sorted(d["message_id"] for d in audit.json()) == sorted([garbage_id,
                                                                        still_broken.id])
        assert_problem(await client.get(f"{BASE}/no-such-id", headers=admin), 404, "not-found")
        assert_problem(await client.post(f"{BASE}/no-such-id/replay", headers=admin),
                       404, "not-found")

        # Only operators: other roles are forbidden, anonymous callers unauthenticated.
        clerk = keys.headers("c1", "presales")
        assert_problem(await client.get(BASE, headers=clerk), 403, "forbidden")
        assert_problem(await client.post(f"{BASE}/{summary['id']}/replay", headers=clerk),
                       403, "forbidden")
        assert_problem(await client.get(BASE), 401, "unauthenticated")
        assert_problem(await client.post(f"{BASE}/{summary['id']}/discard"),
                       401, "unauthenticated")
        manager = await client.get(BASE, headers=keys.headers("m1", "manager"))
        assert manager.status_code == 200


async def _with_all(listing, *message_ids: str) -> dict | None:
    found = await listing
    return found if all(m in found for m in message_ids) else None


async def _equals(value, expected) -> bool:
    return await value == expected
