"""The empty services start end to end on the real broker and database."""

from __future__ import annotations

import pytest

from support.harness import running

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service", ["tickets", "logistics", "hr"])
async def test_service_starts_and_is_ready(isolation, service: str) -> None:
    module = __import__(f"{service}.main", fromlist=["create_app"])
    settings_cls = __import__(f"{service}.settings", fromlist=["Settings"]).Settings
    app = module.create_app(isolation.settings(service, settings_cls))
    async with running(app) as client:
        assert (await client.get("/healthz")).json() == {"status": "alive"}
        ready = await client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["mongo"]["ok"] is True
        assert ready.json()["checks"]["rabbitmq"]["ok"] is True
