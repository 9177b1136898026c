"""Settings of the tickets service."""

from __future__ import annotations

from datetime import time

from pydantic import Field

from ops_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "tickets"
    http_port: int = 8001
    sla_scan_interval_s: float = Field(
        5.0, gt=0, description="How often each replica looks for due SLA warnings and breaches.")
    sla_scan_batch: int = Field(
        100, ge=1, le=1000, description="Due tickets one replica handles per scan.")
    review_reminder_at: time | None = Field(
        time(9, 0), description="Shop-local time from which the daily review reminder is sent "
                                "(T13), once per day across replicas; null turns it off.")
    review_reminder_check_s: float = Field(
        60.0, gt=0, description="How often each replica looks whether the daily reminder is due.")
