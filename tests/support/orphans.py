"""A writer killed mid-transaction: its open transaction keeps its documents locked until the
server's transaction lifetime runs out (issue 7, item 3)."""

from __future__ import annotations

import asyncio
import signal
import sys

_WRITER = """
import sys, time
from pymongo import MongoClient
url, db, collection, doc_id = sys.argv[1:5]
client = MongoClient(url)
session = client.start_session()
session.start_transaction()
client[db][collection].update_one({"_id": doc_id}, {"$inc": {"orphan": 1}}, upsert=True,
                                  session=session)
print("held", flush=True)
time.sleep(3600)
"""


async def kill_writer_mid_transaction(mongo_url: str, db: str, collection: str,
                                      doc_id: str) -> None:
    """A separate process opens a transaction, writes `doc_id`, and is SIGKILLed before it
    commits or aborts: the transaction is orphaned, holding the document."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _WRITER, mongo_url, db, collection, doc_id,
        stdout=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=30)
        assert line.strip() == b"held", line
    finally:
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
