"""Benchmark: one authenticated read, directly against the tickets service and through the gateway.

Both services run as real uvicorn servers on loopback ports, each in its own process (as they
are deployed), on the real database and broker. A staff member signs in at the gateway; the same
token then reads one ticket (`GET /tickets/{n}`: token check, ticket and customer read, T15
masking) `--requests` times with `--concurrency` requests in flight, first directly at the tickets
service, then as `GET /api/tickets/tickets/{n}` through the gateway (token check, session check,
rate limit, forwarding), after a warm-up of each. Rounds alternate (direct, gateway, direct, ...)
so that a change in the machine's load hits both alike.

    python bench/gateway.py [--requests 2000] [--concurrency 8] [--rounds 2] [--server h11]
                            [--upstream-client httpx] [--profile gateway.prof]

Both servers run as in production (`ops_shared.serving.http_options`: uvloop and httptools, with
the request head bounded); `--server h11` runs them on asyncio and h11 instead, for comparison.
`--upstream-client httpx` has the gateway call the tickets service through httpx instead of its
own client (`UPSTREAM_CLIENT`). `--profile FILE` runs the gateway's process under cProfile and
writes its statistics to FILE when it stops (`python -m pstats FILE`); the CPU figures then
include the profiler's cost.

Uses MONGO_URL / AMQP_URL when set, else starts SecantusDB on a free port and uses the local
RabbitMQ. Prints p50, p99 and req/s of both, then `ratio: X` last (direct p50 / gateway p50).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# This file is named like the service's package: take its own folder off the import path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent / "tests"))

import httpx  # noqa: E402

from support.harness import Isolation  # noqa: E402
from support.servers import LOCAL_AMQP, free_port, secantus_server  # noqa: E402
from support.tokens import KeyPair  # noqa: E402

QUIET = {"log_level": "WARNING", "relay_poll_s": 0.5}
UNLIMITED = {"api_rate_per_s": 1e9, "api_burst": 1_000_000_000}


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far; 0 where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def serve(service: str, port: int, server: str, profile: str | None) -> None:
    """Child process: run one service with the settings given as JSON on stdin."""
    import uvicorn

    from ops_shared.serving import DEFAULT_MAX_HEAD_BYTES, http_options

    values = json.loads(sys.stdin.read())
    if service == "tickets":
        from tickets.main import create_app
        from tickets.settings import Settings

        app, head = create_app(Settings(**values)), DEFAULT_MAX_HEAD_BYTES
    else:
        from gateway.main import create_app, request_limits
        from gateway.settings import GatewaySettings

        settings = GatewaySettings(**values)
        app, head = create_app(settings), request_limits(settings).max_head_bytes
    extra = http_options(head) if server == "production" else {
        "loop": "asyncio", "http": "h11", "h11_max_incomplete_event_size": head}
    if not profile:
        uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, access_log=False, **extra)
        return
    import cProfile
    import signal

    profiler = cProfile.Profile()

    def stop(*_: object) -> None:  # uvicorn raises the SIGTERM it caught again once stopped
        profiler.disable()
        profiler.dump_stats(profile)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    profiler.enable()
    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, access_log=False, **extra)
    stop()


@contextlib.contextmanager
def server(service: str, values: dict[str, Any], kind: str, profile: str | None = None
           ) -> Iterator[tuple[str, int]]:
    """A service in its own process on a free loopback port; yields its base URL and pid."""
    port = free_port()
    process = subprocess.Popen(  # this very file, with fixed arguments
        [sys.executable, __file__, "--serve", service, "--port", str(port), "--server", kind,
         *(["--profile", profile] if profile else [])],
        stdin=subprocess.PIPE, text=True)
    assert process.stdin is not None
    process.stdin.write(json.dumps(values))
    process.stdin.close()
    try:
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


async def until_up(client: httpx.AsyncClient, url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            if (await client.get(f"{url}/healthz")).status_code == 200:
                return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def settings_values(isolation: Isolation, service: str, cls: type, **overrides: Any
                    ) -> dict[str, Any]:
    """Isolated settings (unique database, queues; removed afterwards) as plain values."""
    settings = isolation.settings(service, cls, **QUIET, **overrides)
    return settings.model_dump(mode="json", exclude={"jwt_private_key"})


async def load(client: httpx.AsyncClient, url: str, headers: dict[str, str], n: int,
               concurrency: int) -> tuple[list[float], float]:
    """`n` GETs of `url`, `concurrency` in flight; latencies (s) and elapsed time (s)."""
    latencies: list[float] = []
    todo = iter(range(n))

    async def worker() -> None:
        for _ in todo:
            start = time.perf_counter()
            answer = await client.get(url, headers=headers)
            latencies.append(time.perf_counter() - start)
            if answer.status_code != 200:
                raise RuntimeError(f"{url}: {answer.status_code} {answer.text[:300]}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, time.perf_counter() - started


async def seed_accounts(mongo_url: str, database: str) -> None:
    """The demo accounts (and the directory entries hr would send) in the gateway's database."""
    from pymongo import AsyncMongoClient

    from gateway.demo import seed_demo_accounts
    from gateway.passwords import Passwords

    client: AsyncMongoClient = AsyncMongoClient(mongo_url, tz_aware=True)
    try:
        await seed_demo_accounts(client[database], Passwords.default())
    finally:
        await client.close()


async def run(mongo_url: str, amqp_url: str, n: int, concurrency: int, rounds: int,
              kind: str, upstream_client: str, profile: str | None) -> None:
    from gateway.settings import GatewaySettings
    from tickets.settings import Settings

    keys = KeyPair.generate()
    isolation = Isolation(mongo_url, amqp_url, keys)
    tickets_values = settings_values(isolation, "tickets", Settings)
    try:
        with server("tickets", tickets_values, kind) as (tickets_url, tickets_pid):
            gateway_values = {
                **settings_values(isolation, "gateway", GatewaySettings, tickets_url=tickets_url,
                                  jwt_private_key=keys.private_pem,
                                  upstream_client=upstream_client, **UNLIMITED),
                "jwt_private_key": keys.private_pem}
            await seed_accounts(mongo_url, gateway_values["mongo_db"])
            with server("gateway", gateway_values, kind, profile) as (gateway_url, gateway_pid):
                await measure(tickets_url, gateway_url, n, concurrency, rounds,
                              {"tickets": tickets_pid, "gateway": gateway_pid},
                              f"{kind}  upstream client: {upstream_client}")
    finally:
        await isolation.cleanup()


async def measure(tickets_url: str, gateway_url: str, n: int, concurrency: int,
                  rounds: int, pids: dict[str, int], kind: str) -> None:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30, trust_env=False) as client:
        await until_up(client, tickets_url)
        await until_up(client, gateway_url)
        signed_in = await client.post(f"{gateway_url}/auth/token", json={
            "staff_id": "supervisor1", "password": "demo-supervisor1"})
        signed_in.raise_for_status()
        headers = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        made = await client.post(f"{tickets_url}/tickets", headers=headers, json={
            "channel": "im", "kind": "aftersales", "description": "鞋子开胶了",
            "importance": "low", "urgency": "low",
            "customer": {"name": "压测客户", "phone": "13812345678"}})
        made.raise_for_status()
        number = made.json()["number"]
        urls = {"direct": f"{tickets_url}/tickets/{number}",
                "gateway": f"{gateway_url}/api/tickets/tickets/{number}"}
        for url in urls.values():  # warm-up: connections, caches, code paths
            await load(client, url, headers, min(200, n), concurrency)
        figures: dict[str, tuple[list[float], float]] = {name: ([], 0.0) for name in urls}
        # CPU each server used per request, for the gateway's run: the machine's load moves
        # latencies, not this.
        cpu = {service: 0.0 for service in pids}
        for _ in range(rounds):
            for name, url in urls.items():
                before = {service: cpu_seconds(pid) for service, pid in pids.items()}
                latencies, elapsed = await load(client, url, headers, n, concurrency)
                figures[name] = (figures[name][0] + latencies, figures[name][1] + elapsed)
                if name == "gateway":
                    for service, pid in pids.items():
                        cpu[service] += cpu_seconds(pid) - before[service]
    print(f"read: GET /tickets/{{n}}  requests: {n} x {rounds} rounds  "
          f"concurrency: {concurrency}  server: {kind}  "
          f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    p50 = {}
    for name, (latencies, elapsed) in figures.items():
        p50[name] = percentile(latencies, 50)
        print(f"{name:8s} p50 {p50[name] * 1000:6.2f} ms   "
              f"p99 {percentile(latencies, 99) * 1000:6.2f} ms   "
              f"{len(latencies) / elapsed:7.1f} req/s")
    print("CPU per request through the gateway: " + ", ".join(
        f"{service} {seconds / (n * rounds) * 1000:.2f} ms" for service, seconds in cpu.items()))
    print(f"ratio: {p50['direct'] / p50['gateway']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--server", choices=["production", "h11"], default="production",
                        help="production: uvloop + httptools (default); h11: asyncio + h11")
    parser.add_argument("--upstream-client", choices=["native", "httpx"], default="native",
                        help="the gateway's client for the tickets service (UPSTREAM_CLIENT)")
    parser.add_argument("--profile", metavar="FILE",
                        help="run the gateway under cProfile; its statistics go to FILE")
    parser.add_argument("--serve", choices=["tickets", "gateway"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.server, args.profile)
        return
    amqp_url = os.environ.get("AMQP_URL", LOCAL_AMQP)
    with contextlib.ExitStack() as stack:
        mongo_url = os.environ.get("MONGO_URL") or stack.enter_context(secantus_server())
        asyncio.run(run(mongo_url, amqp_url, args.requests, args.concurrency, args.rounds,
                        args.server, args.upstream_client,
                        args.profile and str(Path(args.profile).resolve())))


if __name__ == "__main__":
    main()
