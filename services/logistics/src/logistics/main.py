"""Entry point: `create_app(settings)` builds the logistics service's FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI

from logistics import bootstrap
from logistics.api.routes import (
    cases,
    exchanges,
    follow_up,
    promise,
    recalls,
    receipts,
    reports,
    rmas,
)
from logistics.settings import Settings
from logistics.storage.indexes import INDEXES
from logistics.subscriptions import SUBSCRIPTIONS
from ops_shared.service import ServiceDefinition, create_service_app
from ops_shared.serving import serve

DEFINITION = ServiceDefinition(
    name="logistics",
    title="logistics",
    description=(
        "Returns and exchanges (RMAs) with postage in fen, warehouse receipts and their "
        "matching, refunds exactly once, exchanges, courier recalls and voids, problem parcels "
        "and re-shipments, the ship-date promise, the returns report."
    ),
    routers=(rmas.router, receipts.router, exchanges.router, recalls.router, cases.router,
             promise.router, follow_up.router, reports.router),
    indexes=INDEXES,
    subscriptions=SUBSCRIPTIONS,
    wire=bootstrap.wire,
    unit_of_work=bootstrap.unit_of_work,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(settings or Settings(), DEFINITION)


def run() -> None:
    settings = Settings()
    serve(create_app(settings), settings)
