"""Entry point: `create_app(settings)` builds the hr service's FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI

from hr import bootstrap, scheduler
from hr.api import attendance, ledger, policy, requests, rosters, settlements, staff
from hr.settings import Settings
from hr.storage.indexes import INDEXES
from hr.subscriptions import SUBSCRIPTIONS
from ops_shared.service import ServiceDefinition, create_service_app
from ops_shared.serving import serve

DEFINITION = ServiceDefinition(
    name="hr",
    title="hr",
    description=(
        "Staff directory, shifts and monthly rosters, punches and attendance, swaps and leave "
        "on one approval state machine, IM presence, the points and money ledger, the monthly "
        "settlement with payroll export, and the department activity fund (H1-H23)."
    ),
    routers=(staff.router, policy.router, rosters.router, attendance.router, requests.router,
             ledger.router, settlements.router),
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
