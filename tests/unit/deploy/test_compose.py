"""Structure of docker-compose.yml and of the services' Dockerfiles (no Docker engine needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = ROOT / "docker-compose.yml"
APP_PORTS = {"tickets": 8001, "logistics": 8002, "hr": 8003, "gateway": 8000}
APPS = tuple(APP_PORTS)
INFRA = ("rabbitmq", "mongo")
ALL_SERVICES = (*INFRA, *APPS)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as a dict, whether written as a mapping or a list."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def healthcheck_command(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def volume_sources(service: dict[str, Any]) -> list[str]:
    sources = []
    for volume in service.get("volumes") or []:
        sources.append(volume.split(":", 1)[0] if isinstance(volume, str) else volume["source"])
    return sources


def all_strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in (str(key), *all_strings(value))]
    if isinstance(node, list):
        return [s for item in node for s in all_strings(item)]
    return [] if node is None else [str(node)]


def test_the_six_services_exist(compose: dict[str, Any]) -> None:
    assert set(ALL_SERVICES) <= set(compose["services"])


@pytest.mark.parametrize("name", APPS)
def test_each_app_service_builds_from_its_own_dockerfile(
    compose: dict[str, Any], name: str
) -> None:
    build = compose["services"][name]["build"]
    assert build["context"] in (".", "./")
    assert build["dockerfile"] == f"services/{name}/Dockerfile"
    assert (ROOT / build["dockerfile"]).is_file()


@pytest.mark.parametrize("name", APPS)
def test_app_services_wait_for_healthy_broker_and_database(
    compose: dict[str, Any], name: str
) -> None:
    deps = depends_on(compose["services"][name])
    assert deps.get("rabbitmq") == "service_healthy"
    assert deps.get("mongo") == "service_healthy"


def test_rabbitmq_has_a_healthcheck(compose: dict[str, Any]) -> None:
    rabbit = compose["services"]["rabbitmq"]
    assert rabbit["image"].startswith("rabbitmq:3.13-management")
    command = healthcheck_command(rabbit)
    assert "rabbitmq-diagnostics" in command and "ping" in command


def test_mongo_runs_as_a_replica_set_initiated_by_its_healthcheck(
    compose: dict[str, Any],
) -> None:
    mongo = compose["services"]["mongo"]
    assert mongo["image"].startswith("mongo:7")
    command = mongo["command"]
    command = " ".join(command) if isinstance(command, list) else command
    assert "--replSet rs0" in command and "--bind_ip_all" in command
    check = healthcheck_command(mongo)
    assert "mongosh" in check and "--eval" in check
    assert "rs.status()" in check and "rs.initiate(" in check
    assert "_id:'rs0'" in check.replace(" ", "") and "mongo:27017" in check


def test_named_volumes_are_declared_and_used(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    assert declared, "no named volumes declared"
    used = {src for svc in compose["services"].values() for src in volume_sources(svc)}
    assert declared <= used, f"declared but unused: {declared - used}"
    for infra in INFRA:
        sources = volume_sources(compose["services"][infra])
        assert sources, f"{infra} keeps its data in no volume"
        assert set(sources) <= declared, f"{infra} mounts something other than named volumes"


@pytest.mark.parametrize("name", APPS)
def test_every_app_service_is_configured_through_the_environment(
    compose: dict[str, Any], name: str
) -> None:
    env = environment(compose["services"][name])
    assert env["MONGO_URL"] == "mongodb://mongo:27017/?replicaSet=rs0"
    assert env["AMQP_URL"] == "amqp://guest:guest@rabbitmq:5672/"
    assert env["MONGO_DB"]
    assert env["ENVIRONMENT"] == "production"
    assert env["LOG_JSON"].lower() == "true"
    assert env["HTTP_HOST"] == "0.0.0.0"
    assert re.fullmatch(r"\$\{JWT_PUBLIC_KEY:\?[^}]+\}", env["JWT_PUBLIC_KEY"])


def test_the_gateway_gets_its_key_and_upstreams_and_publishes_8000(
    compose: dict[str, Any],
) -> None:
    gateway = compose["services"]["gateway"]
    env = environment(gateway)
    assert re.fullmatch(r"\$\{JWT_PRIVATE_KEY:\?[^}]+\}", env["JWT_PRIVATE_KEY"])
    assert env["TICKETS_URL"] == "http://tickets:8001"
    assert env["LOGISTICS_URL"] == "http://logistics:8002"
    assert env["HR_URL"] == "http://hr:8003"
    assert any(str(port).endswith(":8000") for port in gateway.get("ports") or [])


def test_only_the_gateway_gets_the_signing_key(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        if name != "gateway":
            assert "JWT_PRIVATE_KEY" not in environment(service), name


def test_no_literal_secrets(compose: dict[str, Any]) -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    assert "PRIVATE KEY" not in text
    for value in all_strings(compose):
        assert "PRIVATE KEY" not in value
        assert "BEGIN " not in value  # no PEM of any kind
    for service in compose["services"].values():
        for key, value in environment(service).items():
            if re.search(r"KEY|SECRET|PASSWORD|TOKEN", key):
                assert value.startswith("${"), f"{key} must come from a variable"


# --- Dockerfiles ------------------------------------------------------------------------------


def instructions(name: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    text = (ROOT / "services" / name / "Dockerfile").read_text(encoding="utf-8")
    logical: list[str] = []
    buffer = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not buffer and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        logical.append(buffer + line)
        buffer = ""
    assert not buffer, "Dockerfile ends inside a continued line"
    result = []
    for line in logical:
        keyword, _, args = line.partition(" ")
        result.append((keyword.upper(), " ".join(args.split())))
    return result


@pytest.mark.parametrize("name", APPS)
def test_dockerfile_copies_only_shared_and_its_own_service(name: str) -> None:
    steps = instructions(name)
    assert steps[0] == ("FROM", "python:3.11-slim")
    sources = set()
    for keyword, args in steps:
        if keyword in ("COPY", "ADD"):
            parts = [p for p in args.split() if not p.startswith("--")]
            sources.update(p.rstrip("/") for p in parts[:-1])
    assert sources == {"constraints.txt", "shared", f"services/{name}"}


@pytest.mark.parametrize("name", APPS)
def test_dockerfile_installs_with_the_constraints(name: str) -> None:
    runs = [args for keyword, args in instructions(name) if keyword == "RUN"]
    install = [r for r in runs if "pip install" in r]
    assert install, "no pip install"
    command = install[0]
    assert "--no-cache-dir" in command
    assert "-c constraints.txt" in command
    assert "./shared" in command and f"./services/{name}" in command
    others = set(APPS) - {name}
    assert not any(f"services/{other}" in command for other in others)


@pytest.mark.parametrize("name", APPS)
def test_dockerfile_runs_the_console_script_as_a_non_root_user(name: str) -> None:
    steps = instructions(name)
    users = [args for keyword, args in steps if keyword == "USER"]
    assert users and users[-1] not in ("root", "0", "0:0")
    env = " ".join(args for keyword, args in steps if keyword == "ENV")
    for setting in ("LOG_JSON=true", "ENVIRONMENT=production", "HTTP_HOST=0.0.0.0"):
        assert setting in env
    assert ("EXPOSE", str(APP_PORTS[name])) in steps
    cmd = [args for keyword, args in steps if keyword == "CMD"]
    assert json.loads(cmd[-1]) == [f"ops-{name}"]


@pytest.mark.parametrize("name", APPS)
def test_dockerfile_healthcheck_calls_healthz_with_urllib(name: str) -> None:
    checks = [args for keyword, args in instructions(name) if keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    command = checks[0][checks[0].index("CMD ") + len("CMD "):]
    argv = json.loads(command)  # exec form: must be valid JSON or Docker runs it via a shell
    assert argv[:2] == ["python", "-c"]
    assert "urllib.request" in argv[2] and "/healthz" in argv[2]
    assert str(APP_PORTS[name]) in argv[2]


def test_dockerignore_keeps_local_state_out_of_the_context() -> None:
    patterns = {
        line.strip().strip("/").removeprefix("**/")
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", ".data", ".git", "__pycache__", "tests", "bench"} <= patterns
