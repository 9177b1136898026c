"""Benchmark: the monthly draft settlement (H14-H16, H20, H21) against a raw scan of the same
documents from the same database, in the same run.

A department of 200 staff with a month of punches (two a shift), presence changes (four a
shift) and ledger entries (points and money, from tickets events, the day's close and
supervisors). The settlement is the real use case (`hr.application.settlement.start` on the
Mongo repositories, in one transaction, storing the draft); the baseline reads the documents
the settlement reads (the directory and the month's ledger) with plain `find` calls.

    python bench/settlement.py [--staff 200] [--runs 5]

Uses MONGO_URL when set, else starts SecantusDB on a free port. The last line is `ratio: X.XX`
(the raw scan's time over the settlement's; the target is at least 0.33: settlement within 3x
the cost of reading its data).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hr import bootstrap
from hr.application import settlement
from hr.domain.staff import Actor
from hr.settings import Settings
from hr.storage.indexes import INDEXES
from ops_shared.logging import configure_logging
from ops_shared.persistence import FOUNDATION_INDEXES, Database, apply_indexes, make_client
from support.servers import secantus_server

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTH = "2026-12"
RULES = (("H17", "points", -3), ("H18", "points", 5), ("H13", "money", -5000),
         ("H4", "money", -3000), ("H19", "points", -3), ("H13", "points", -2))


@dataclass
class Wired:
    """What `bootstrap.wire` reads from a running service: the database and the settings."""

    database: Database
    settings: Settings


def _staff(n: int) -> list[dict]:
    people = [{"_id": "mgr", "staff_id": "mgr", "display_name": "部长", "role": "manager",
               "team": "mgmt", "supervisor_id": None, "active": True, "wage_fen": 900_000,
               "version": 0, "updated_at": None}]
    for s in range(n // 20):
        people.append({"_id": f"sup{s}", "staff_id": f"sup{s}", "display_name": f"主管{s}",
                       "role": "supervisor", "team": f"t{s}", "supervisor_id": "mgr",
                       "active": True, "wage_fen": 700_000, "version": 0, "updated_at": None})
    for i in range(n - len(people)):
        people.append({"_id": f"s{i}", "staff_id": f"s{i}", "display_name": f"客服{i}",
                       "role": "aftersales" if i % 2 else "presales", "team": f"t{i % (n // 20)}",
                       "supervisor_id": f"sup{i % (n // 20)}", "active": True,
                       "wage_fen": 600_000, "version": 0, "updated_at": None})
    return people


async def seed(db, n: int) -> int:
    rng = random.Random(7)
    people = _staff(n)
    await db["staff"].insert_many(people)
    punches, presence, ledger = [], [], []
    for person in people:
        for day in range(1, 32):
            start = datetime(2026, 12, day, 9, tzinfo=SHANGHAI)
            for k, moment in enumerate((start - timedelta(minutes=rng.randint(1, 15)),
                                        start + timedelta(hours=9, minutes=rng.randint(30, 45)))):
                punches.append({"_id": f"device-{person['_id']}-{day}-{k}",
                                "punch_id": f"device-{person['_id']}-{day}-{k}",
                                "staff_id": person["_id"], "at": moment, "source": "device",
                                "recorded_by": "hr"})
            for k, status in enumerate(("online", "away", "online", "offline")):
                presence.append({"_id": uuid.uuid4().hex, "change_id": uuid.uuid4().hex,
                                 "staff_id": person["_id"], "status": status,
                                 "at": start + timedelta(hours=2.5 * k), "recorded_by": "im"})
        for k in range(rng.randint(2, 12)):
            rule, kind, amount = rng.choice(RULES)
            entry_id = uuid.uuid4().hex
            source = f"event:{entry_id}"
            ledger.append({"_id": entry_id, "entry_id": entry_id, "staff_id": person["_id"],
                           "month": MONTH, "kind": kind, "amount": amount, "rule": rule,
                           "source": source, "author": "bench",
                           "at": datetime(2026, 12, 1 + k % 28, 12, tzinfo=SHANGHAI),
                           "note": "", "flag": None, "corrects": None,
                           "source_key": f"{source}|{person['_id']}|{rule}"})
    for name, docs in (("punches", punches), ("presence", presence), ("ledger", ledger)):
        for chunk in range(0, len(docs), 2000):
            await db[name].insert_many(docs[chunk:chunk + 2000], ordered=False)
    return len(people) + len(punches) + len(presence) + len(ledger)


async def raw_scan(db) -> float:
    began = time.perf_counter()
    await db["policies"].find_one({"_id": "hr"})
    staff = await db["staff"].find({}).sort("_id", 1).to_list()
    entries = await db["ledger"].find({"month": MONTH}).sort([("at", 1), ("_id", 1)]).to_list()
    assert staff and entries
    return time.perf_counter() - began


async def settle_once(deps, db) -> float:
    await db["settlements"].delete_many({})
    began = time.perf_counter()
    made = await settlement.start(deps, Actor("mgr", "manager"), MONTH)
    elapsed = time.perf_counter() - began
    assert made.people
    return elapsed


async def run(mongo_url: str, n: int, runs: int) -> None:
    configure_logging("bench", json=False, level="WARNING")
    name = f"bench_settlement_{uuid.uuid4().hex[:8]}"
    client = make_client(mongo_url, app_name="bench")
    database = Database(client, name, "hr")
    try:
        await apply_indexes(database.db, [*FOUNDATION_INDEXES, *INDEXES])
        began = time.perf_counter()
        docs = await seed(database.db, n)
        print(f"seeded {docs} documents ({n} staff) in {time.perf_counter() - began:.1f}s")
        deps = bootstrap.wire(Wired(database, Settings(mongo_url=mongo_url)))  # type: ignore[arg-type]
        await settle_once(deps, database.db)  # warm-up
        await raw_scan(database.db)
        scans, settles = [], []
        for _ in range(runs):
            scans.append(await raw_scan(database.db))
            settles.append(await settle_once(deps, database.db))
        scan, settle = statistics.median(scans), statistics.median(settles)
        print(f"raw scan    median {scan * 1000:8.1f} ms over {runs} runs")
        print(f"settlement  median {settle * 1000:8.1f} ms over {runs} runs")
        print(f"ratio: {scan / settle:.2f}")
    finally:
        await client.drop_database(name)
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        mongo_url = os.environ.get("MONGO_URL") or stack.enter_context(secantus_server())
        asyncio.run(run(mongo_url, args.staff, args.runs))


if __name__ == "__main__":
    main()
