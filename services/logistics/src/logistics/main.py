"""Entry point: `create_app(settings)` builds the logistics service's FastAPI app."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from logistics.settings import Settings
from logistics.subscriptions import SUBSCRIPTIONS
from ops_shared.service import ServiceDefinition, create_service_app

DEFINITION = ServiceDefinition(
    name="logistics",
    title="logistics",
    description="The logistics service of the customer-service operations backend.",
    subscriptions=SUBSCRIPTIONS,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(settings or Settings(), DEFINITION)


def run() -> None:
    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port,
                log_config=None)
