"""`scripts/fuzz`: schemathesis over the gateway's merged OpenAPI, through the gateway, with the
whole system running (issue 10, item 3).

tickets, logistics, hr and the gateway run in this process, each as a uvicorn server on a free
loopback port (the gateway reaches the services over HTTP, as deployed), on the real broker and
a MongoDB-protocol server (MONGO_URL, else SecantusDB on a free port; AMQP_URL, else the local
RabbitMQ). hr hires its demo staff and the gateway gives them their demo accounts, as in
development; the API rate limit is raised for the run (`API_RATE_PER_S`, `API_BURST`).

schemathesis then runs once per staff member signed in (an after-sales agent, then a manager), each
bounded by `--max-time` seconds, with the checks `not_a_server_error`,
`status_code_conformance`, `content_type_conformance` and `response_schema_conformance`: any 5xx,
any status the document does not list for the operation, or any body that does not match its
documented schema fails the run. The routes that end the caller's own session (sign-out, password
change) are left out: they would turn the rest of the run into 401s.

    scripts/fuzz [--max-time 90] [--as aftersales1 --as manager1] [--seed N]

Prints per staff member: operations, test cases, failures and seconds, then `fuzz: ...` last.
Exit status 0 only when no run found a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from support.harness import Isolation
from support.servers import LOCAL_AMQP, free_port, secantus_server
from support.tokens import KeyPair
from support.wait import eventually

CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance")
# The caller's own session ends with these: every later case would be a 401.
SESSION_ENDING = ("/auth/sign-out", "/auth/password")
CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}
RAISED_LIMITS = {"api_rate_per_s": 10_000.0, "api_burst": 100_000,
                 "signin_rate_per_min": 10_000.0, "signin_burst": 10_000,
                 # Signing in is polled until hr has announced the demo staff: no lockout.
                 "login_max_failures": 10_000}
QUIET = {"log_level": "WARNING"}
# The agent first: the manager's run may reset or deactivate any account, the agent's too.
DEFAULT_STAFF = ("aftersales1", "manager1")


@dataclass(frozen=True)
class Figures:
    """What one schemathesis run reported."""

    staff_id: str
    operations: int
    cases: int
    failures: int
    errors: int
    seconds: float
    exit_code: int

    @property
    def passed(self) -> bool:
        return self.exit_code == 0 and self.failures == 0 and self.errors == 0

    def line(self) -> str:
        return (f"{self.staff_id}: operations {self.operations}, cases {self.cases}, "
                f"failures {self.failures}, errors {self.errors}, {self.seconds:.0f} s, "
                f"exit {self.exit_code}")


@contextlib.asynccontextmanager
async def served(app: Any, port: int | None = None, **config: Any) -> AsyncIterator[str]:
    """`app` (lifespan included) on a loopback port (a free one by default), in this loop."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           log_level="warning", access_log=False,
                                           lifespan="on", **config))
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: server.started or task.done(), timeout=60,
                         what="uvicorn listening")
        if task.done():
            task.result()
            raise RuntimeError("uvicorn stopped before it started")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=30)


@contextlib.asynccontextmanager
async def running_system(mongo_url: str, amqp_url: str) -> AsyncIterator[str]:
    """tickets, logistics, hr and the gateway on loopback ports; yields the gateway's URL."""
    from gateway.main import create_app as create_gateway
    from gateway.main import server_limits
    from gateway.settings import GatewaySettings
    from hr.main import create_app as create_hr
    from hr.settings import Settings as HrSettings
    from logistics.main import create_app as create_logistics
    from logistics.settings import Settings as LogisticsSettings
    from tickets.main import create_app as create_tickets
    from tickets.settings import Settings as TicketsSettings

    keys = KeyPair.generate()
    isolation = Isolation(mongo_url, amqp_url, keys)
    dev = {"environment": "development", "jwt_public_key": keys.public_pem, **QUIET}
    tickets = isolation.settings("tickets", TicketsSettings, **dev)
    shared = {**dev, "exchange": tickets.exchange}
    logistics = isolation.settings("logistics", LogisticsSettings, **shared)
    hr = isolation.settings("hr", HrSettings, demo_staff=True, **shared)
    ports = {name: free_port() for name in ("tickets", "logistics", "hr")}
    urls = {f"{name}_url": f"http://127.0.0.1:{port}" for name, port in ports.items()}
    gateway = isolation.settings(
        "gateway", GatewaySettings, **shared, jwt_private_key=keys.private_pem, **urls,
        demo_accounts=True, **CHEAP_ARGON2, **RAISED_LIMITS)
    try:
        # The gateway first: its queue must exist when hr announces the demo staff.
        async with (served(create_gateway(gateway), **server_limits(gateway)) as url,
                    served(create_tickets(tickets), ports["tickets"]),
                    served(create_logistics(logistics), ports["logistics"]),
                    served(create_hr(hr), ports["hr"])):
            yield url
    finally:
        await isolation.cleanup()


async def sign_in(gateway_url: str, staff_id: str) -> str:
    """A token for a demo staff member, once hr has announced them to the gateway."""
    async with httpx.AsyncClient(base_url=gateway_url, trust_env=False) as client:

        async def token() -> str | None:
            answer = await client.post("/auth/token", json={
                "staff_id": staff_id, "password": f"demo-{staff_id}"})
            return answer.json()["access_token"] if answer.status_code == 200 else None

        return await eventually(token, timeout=60, interval=0.5,
                                what=f"{staff_id}'s demo account")


async def wait_ready(gateway_url: str) -> None:
    """Every service ready, and the merged document lists all three."""
    async with httpx.AsyncClient(base_url=gateway_url, trust_env=False) as client:

        async def ready() -> bool:
            readiness = (await client.get("/readyz")).json()
            document = (await client.get("/openapi.json")).json()
            return readiness.get("status") == "ready" and not document["info"]["x-unavailable"]

        await eventually(ready, timeout=60, interval=0.5, what="the system ready")


def schemathesis_command(gateway_url: str, token: str, *, max_time: int, seed: int | None,
                         report: Path, workers: int) -> list[str]:
    exe = Path(sys.executable).with_name("schemathesis")
    command = [str(exe), "run", f"{gateway_url}/openapi.json", "--url", gateway_url,
               "--header", f"Authorization: Bearer {token}", "--checks", ",".join(CHECKS),
               "--max-time", str(max_time), "--workers", str(workers),
               "--request-timeout", "30", "--report", "ndjson",
               "--report-ndjson-path", str(report), "--no-color"]
    for path in SESSION_ENDING:
        command += ["--exclude-path", path]
    if seed is not None:
        command += ["--seed", str(seed)]
    return command


def failures_in(report: Path) -> dict[tuple[str, str, int | None], str]:
    """Distinct failures in schemathesis' NDJSON events: (operation, check, status) → the URL
    of one request that showed it."""
    found: dict[tuple[str, str, int | None], str] = {}
    for line in report.read_text().splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished["recorder"]
        for case_id, checks in recorder.get("checks", {}).items():
            interaction = recorder.get("interactions", {}).get(case_id) or {}
            for check in checks:
                if check.get("status") != "failure":
                    continue
                failure = check.get("failure_info", {}).get("failure", {})
                status = (interaction.get("response") or {}).get("status_code")
                key = (failure.get("operation") or recorder["label"], check["name"], status)
                found.setdefault(key, (interaction.get("request") or {}).get("uri", ""))
    return found


def figures_from_report(staff_id: str, report: Path, seconds: float, exit_code: int
                        ) -> Figures:
    """Operations tested, cases sent and distinct failures, from the NDJSON events."""
    operations: set[str] = set()
    cases = errors = 0
    for line in report.read_text().splitlines():
        event = json.loads(line)
        if "ScenarioFinished" in event:
            recorder = event["ScenarioFinished"]["recorder"]
            if recorder["label"] != "Stateful tests":
                operations.add(recorder["label"])
            cases += len(recorder.get("cases", {}))
        errors += "NonFatalError" in event
    return Figures(staff_id, len(operations), cases, len(failures_in(report)), errors, seconds,
                   exit_code)


async def fuzz_as(gateway_url: str, staff_id: str, *, max_time: int, seed: int | None,
                  workers: int, out: Path) -> Figures:
    token = await sign_in(gateway_url, staff_id)
    report = out / f"{staff_id}.ndjson"
    command = schemathesis_command(gateway_url, token, max_time=max_time, seed=seed,
                                   report=report, workers=workers)
    log = (out / f"{staff_id}.log").open("wb")
    started = time.monotonic()
    try:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=log, stderr=asyncio.subprocess.STDOUT, cwd=out,  # its caches too
            env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
        try:
            exit_code = await asyncio.wait_for(process.wait(), timeout=max_time + 300)
        except TimeoutError:
            process.kill()
            await process.wait()
            exit_code = -1
    finally:
        log.close()
    return figures_from_report(staff_id, report, time.monotonic() - started, exit_code)


async def fuzz(mongo_url: str, amqp_url: str, staff: tuple[str, ...], *, max_time: int,
               seed: int | None, workers: int, out: Path) -> list[Figures]:
    async with running_system(mongo_url, amqp_url) as gateway_url:
        await wait_ready(gateway_url)
        results = []
        for staff_id in staff:
            figures = await fuzz_as(gateway_url, staff_id, max_time=max_time, seed=seed,
                                    workers=workers, out=out)
            print(figures.line(), flush=True)
            for (operation, check, status), url in failures_in(out / f"{staff_id}.ndjson"
                                                               ).items():
                print(f"  {check}: {operation} answered {status}  e.g. {url}", flush=True)
            results.append(figures)
        return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-time", type=int, default=90,
                        help="seconds of fuzzing per staff member (default 90)")
    parser.add_argument("--as", dest="staff", action="append",
                        help="demo staff id to sign in as (repeatable; default: "
                             + ", ".join(DEFAULT_STAFF) + ")")
    parser.add_argument("--seed", type=int, help="schemathesis seed, to repeat a run")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path, help="folder for the reports and logs "
                        "(default: a new temporary folder)")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    staff = tuple(args.staff or DEFAULT_STAFF)
    amqp_url = os.environ.get("AMQP_URL", LOCAL_AMQP)
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        mongo_url = os.environ.get("MONGO_URL") or stack.enter_context(secantus_server())
        results = asyncio.run(fuzz(mongo_url, amqp_url, staff, max_time=args.max_time,
                                   seed=args.seed, workers=args.workers, out=out))
    total = Figures("all", sum(r.operations for r in results), sum(r.cases for r in results),
                    sum(r.failures for r in results), sum(r.errors for r in results),
                    time.monotonic() - started, max(abs(r.exit_code) for r in results))
    print(f"reports and logs: {out}")
    verdict = "passed" if all(r.passed for r in results) else "FAILED"
    print(f"fuzz: {verdict}  operations {max(r.operations for r in results)}  "
          f"cases {total.cases}  failures {total.failures}  errors {total.errors}  "
          f"{total.seconds:.0f} s")
    return 0 if verdict == "passed" else 1


if __name__ == "__main__":
    sys.exit(main())
