"""The operator CLI lists, shows, replays and discards dead letters of a service."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime

import pytest

from ops_shared.contracts import new_envelope
from ops_shared.messaging import DEAD_LETTERS
from ops_shared.persistence import OUTBOX
from support.events import ThingHappened

pytestmark = pytest.mark.integration


async def cli(settings, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "MONGO_URL": settings.mongo_url, "MONGO_DB": settings.database,
           "QUEUE_PREFIX": settings.queue_prefix}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ops_shared.tools.cli", "--service", settings.service_name, *args,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    return proc.returncode, out.decode(), err.decode()


async def test_cli_dead_letters_list_show_replay_discard(isolation, mongo_client) -> None:
    settings = isolation.settings("clisvc")
    db = mongo_client[settings.database]
    envelope = new_envelope(ThingHappened(thing_id="cli"))
    for dead_id in ("d1", "d2"):
        await db[DEAD_LETTERS].insert_one({
            "_id": dead_id, "message_id": envelope.id, "type": envelope.type,
            "routing_key": envelope.type, "error": "HandlerFailed: no", "error_type": "X",
            "permanent": False, "attempts": 3, "failed_at": datetime.now(UTC),
            "body": envelope.model_dump_json().encode(), "status": "dead"})

    code, out, _ = await cli(settings, "dead-letters", "list")
    assert code == 0 and sorted(d["_id"] for d in json.loads(out)) == ["d1", "d2"]
    code, out, _ = await cli(settings, "dead-letters", "show", "d1")
    assert code == 0 and json.loads(out)["body"]["data"]["thing_id"] == "cli"

    code, out, _ = await cli(settings, "dead-letters", "replay", "d1", "--actor", "ops1")
    assert code == 0 and json.loads(out)["status"] == "replayed"
    row = await db[OUTBOX].find_one({"message_id": envelope.id})
    assert row["routing_key"] == settings.queue("events") and row["exchange"] == ""

    code, _, err = await cli(settings, "dead-letters", "replay", "d1", "--actor", "ops1")
    assert code == 3 and "replayed" in err
    code, out, _ = await cli(settings, "dead-letters", "discard", "d2", "--actor", "ops1")
    assert code == 0 and json.loads(out)["status"] == "discarded"
    code, _, err = await cli(settings, "dead-letters", "show", "nope")
    assert code == 2 and "no dead letter" in err
    code, out, _ = await cli(settings, "outbox", "pending")
    assert code == 0 and json.loads(out) == {"pending": 1, "failed": 0}
