"""Real servers for tests: env URLs first, then testcontainers, then local services."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

LOCAL_AMQP = "amqp://guest:guest@127.0.0.1:5672/"


def docker_answers() -> bool:
    """Whether a Docker engine answers (the client alone is not enough)."""
    try:
        import docker

        docker.from_env(timeout=2).ping()
        return True
    except Exception:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"secantusd exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"secantusd did not listen on {port} within {timeout}s")


# The daemon has no flag for the transaction lifetime; the embeddable server takes it.
_SECANTUS_WITH_LIFETIME = """
import signal, sys
from secantus.server import SecantusDBServer
server = SecantusDBServer(port=int(sys.argv[1]), storage_path=sys.argv[2],
                          transaction_lifetime_seconds=float(sys.argv[3]),
                          enable_test_commands=False)
server.start()
signal.signal(signal.SIGTERM, lambda *_: (server.stop(), sys.exit(0)))
server.wait()
"""


@contextlib.contextmanager
def secantus_server(transaction_lifetime_s: float | None = None) -> Iterator[str]:
    """Start SecantusDB on a free port with its own storage; stop and remove it after.

    `transaction_lifetime_s`: how long an idle open transaction lives before the server aborts
    it (60 s by default, as on MongoDB); tests of orphaned transactions make it short."""
    port = free_port()
    storage = Path(tempfile.mkdtemp(prefix="secantus-test-"))
    exe = Path(sys.executable).with_name("secantusd-py")
    log = open(storage.with_suffix(".log"), "wb")  # noqa: SIM115 - closed below
    command = [str(exe), "--port", str(port), "--storage-path", str(storage / "data")]
    if transaction_lifetime_s is not None:
        command = [sys.executable, "-c", _SECANTUS_WITH_LIFETIME, str(port),
                   str(storage / "data"), str(transaction_lifetime_s)]
    proc = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, proc)
        yield f"mongodb://127.0.0.1:{port}/?directConnection=true"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(storage, ignore_errors=True)


@contextlib.contextmanager
def mongo_container() -> Iterator[str]:
    """A real mongod as a single-node replica set, so transactions work."""
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.waiting_utils import wait_for_logs

    container = DockerContainer("mongo:7").with_command("--replSet rs0 --bind_ip_all")
    container.with_exposed_ports(27017)
    with container:
        wait_for_logs(container, "Waiting for connections", timeout=60)
        container.exec(["mongosh", "--quiet", "--eval",
                        "rs.initiate({_id:'rs0',members:[{_id:0,host:'localhost:27017'}]})"])
        host = container.get_container_host_ip()
        port = container.get_exposed_port(27017)
        yield f"mongodb://{host}:{port}/?directConnection=true"


@contextlib.contextmanager
def mongo_url() -> Iterator[str]:
    if os.environ.get("MONGO_URL"):
        yield os.environ["MONGO_URL"]
    elif docker_answers():
        with mongo_container() as url:
            yield url
    else:
        with secantus_server() as url:
            yield url


@contextlib.contextmanager
def amqp_url() -> Iterator[str]:
    if os.environ.get("AMQP_URL"):
        yield os.environ["AMQP_URL"]
    elif docker_answers():
        from testcontainers.rabbitmq import RabbitMqContainer

        with RabbitMqContainer("rabbitmq:3.13-management") as rabbit:
            params = rabbit.get_connection_params()
            yield f"amqp://guest:guest@{params.host}:{params.port}/"
    else:
        yield LOCAL_AMQP
