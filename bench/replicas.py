"""Benchmark: three replicas of one service on one machine share one queue and one outbox.

Over `--events` events (default 10,000) on `--aggregates` aggregates it reports whether every
effect was committed once, every deadline fired once (each replica runs a deadline sweeper)
and every aggregate's events were published in the order they were written, with the
throughput and how the work split between the replicas. See tests/support/replicas.py.

    python bench/replicas.py [--events 10000] [--replicas 3] [--aggregates 100]
                             [--timeout SECONDS] [--progress-every SECONDS]

While it runs it prints, every `--progress-every` seconds (default 15), how many events were
published, applied and fired so far and at what rate. It waits `--timeout` seconds at most
for the last event once all are written (default: scaled with `--events`, see
`scaled_timeout_s`), then prints the figures of what it got.

Uses MONGO_URL / AMQP_URL when set, else starts SecantusDB on a free port and uses the local
RabbitMQ.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from ops_shared.logging import configure_logging
from support.harness import Isolation
from support.replicas import Progress, run_replicas, scaled_timeout_s
from support.servers import LOCAL_AMQP, secantus_server
from support.tokens import KeyPair


async def main(args: argparse.Namespace, mongo_url: str) -> int:
    configure_logging("bench", json=False, level="WARNING")
    isolation = Isolation(mongo_url, os.environ.get("AMQP_URL", LOCAL_AMQP), KeyPair.generate())
    settings = isolation.settings("replicas", relay_batch=100)
    try:
        timeout_s = args.timeout if args.timeout is not None else scaled_timeout_s(args.events)
        print(f"{args.replicas} replicas, {args.events} events over {args.aggregates} "
              f"aggregates; waiting at most {timeout_s:.0f} s once written", flush=True)

        def show(progress: Progress) -> None:
            print(progress.line(), flush=True)

        figures = await run_replicas(settings, events=args.events, replicas=args.replicas,
                                     aggregates=args.aggregates, timeout_s=timeout_s,
                                     progress=show, progress_every_s=args.progress_every)
    finally:
        await isolation.cleanup()
    print("\n".join(figures.lines()))
    right = (figures.effect_counts == {1: figures.events, 0: 0}
             and figures.deadline_fires == {1: figures.events}
             and figures.out_of_order == 0 and figures.dead_letters == 0)
    print("exactly once, in order:", "yes" if right else "NO")
    return 0 if right else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--aggregates", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds to wait once written (default: scaled with --events)")
    parser.add_argument("--progress-every", type=float, default=15.0)
    options = parser.parse_args()
    with contextlib.ExitStack() as stack:
        url = os.environ.get("MONGO_URL") or stack.enter_context(secantus_server())
        sys.exit(asyncio.run(main(options, url)))
