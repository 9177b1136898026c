"""Entry point: `create_app(settings)` builds the tickets service's FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI

from ops_shared.service import ServiceDefinition, create_service_app
from ops_shared.serving import serve
from tickets import bootstrap, scheduler
from tickets.api.routes import (
    customers,
    deadlines,
    knowledge,
    policies,
    reports,
    review,
    staffed_hours,
    summaries,
    surveys,
)
from tickets.api.routes import tickets as ticket_routes
from tickets.settings import Settings
from tickets.storage.indexes import INDEXES
from tickets.subscriptions import SUBSCRIPTIONS

DEFINITION = ServiceDefinition(
    name="tickets",
    title="tickets",
    description=(
        "Customer requests (consultations, complaints, suggestions, after-sales, special "
        "service): SLA clocks on a working-day calendar, escalation, callbacks with customer "
        "confirmation, satisfaction surveys, customer profiles and tiers, a knowledge base."
    ),
    routers=(ticket_routes.router, customers.router, policies.router, knowledge.router,
             staffed_hours.router, surveys.router, review.router, reports.router,
             summaries.router, deadlines.router),
    indexes=INDEXES,
    subscriptions=SUBSCRIPTIONS,
    wire=bootstrap.wire,
    unit_of_work=bootstrap.unit_of_work,
    on_start=(bootstrap.start, scheduler.start),
    on_stop=(scheduler.stop,),
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(settings or Settings(), DEFINITION)


def run() -> None:
    settings = Settings()
    serve(create_app(settings), settings)
