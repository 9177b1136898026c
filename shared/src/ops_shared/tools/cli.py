"""Operator command line: dead letters and the outbox of one service.

    python -m ops_shared.tools.cli --service tickets dead-letters list
    python -m ops_shared.tools.cli --service tickets dead-letters show ID
    python -m ops_shared.tools.cli --service tickets dead-letters replay ID --actor ops1
    python -m ops_shared.tools.cli --service tickets dead-letters discard ID --actor ops1
    python -m ops_shared.tools.cli --service tickets outbox pending

It reads MONGO_URL (and MONGO_DB) like the service does. A replay is written to the service's
outbox; the running service's relay publishes it back to `<service>.events`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from pymongo.errors import PyMongoError

from ops_shared.logging import configure_logging
from ops_shared.messaging import (
    DeadLetterNotFound,
    DeadLetterStateError,
    DeadLetterStore,
    envelope_preview,
)
from ops_shared.persistence import OUTBOX, Database, make_client
from ops_shared.settings import ServiceSettings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ops_shared.tools.cli",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--service", required=True, help="tickets, logistics or hr")
    groups = parser.add_subparsers(dest="group", required=True)
    dead = groups.add_parser("dead-letters").add_subparsers(dest="action", required=True)
    listing = dead.add_parser("list")
    listing.add_argument("--status", default="dead", choices=["dead", "replayed", "discarded"])
    listing.add_argument("--limit", type=int, default=100)
    dead.add_parser("show").add_argument("id")
    for action in ("replay", "discard"):
        sub = dead.add_parser(action)
        sub.add_argument("id")
        sub.add_argument("--actor", required=True, help="your staff id, kept for audit")
    groups.add_parser("outbox").add_subparsers(dest="action", required=True).add_parser("pending")
    return parser


async def _run(args: argparse.Namespace) -> int:
    settings = ServiceSettings(service_name=args.service)
    # Output on stdout is the JSON answer; log lines go to stderr.
    configure_logging(f"{args.service}-cli", json=False, level="WARNING", stream=sys.stderr)
    client = make_client(settings.mongo_url, app_name=f"{args.service}-cli")
    database = Database(client, settings.database, settings.service_name)
    store = DeadLetterStore(database, settings.queue("events"))
    try:
        return await _dispatch(args, database, store)
    finally:
        await client.close()


async def _dispatch(args: argparse.Namespace, database: Database, store: DeadLetterStore) -> int:
    try:
        if args.group == "outbox":
            counts = {status: await database.db[OUTBOX].count_documents({"status": status})
                      for status in ("pending", "failed")}
            _print(counts)
        elif args.action == "list":
            _print(await store.list(args.status, args.limit))
        elif args.action == "show":
            doc = await store.get(args.id)
            _print({**doc, "body": envelope_preview(doc["body"])})
        else:
            await getattr(store, args.action)(args.id, args.actor)
            _print({"id": args.id, "status": {"replay": "replayed", "discard": "discarded"}[
                args.action]})
    except DeadLetterNotFound:
        print(f"no dead letter {args.id}", file=sys.stderr)
        return 2
    except DeadLetterStateError as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except PyMongoError as exc:
        print(f"database unreachable or refused: {type(exc).__name__}: {str(exc)[:300]}",
              file=sys.stderr)
        return 1
    return 0


def _print(value: Any) -> None:
    print(json.dumps(value, default=str, ensure_ascii=False, indent=2))


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(_run(_parser().parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
