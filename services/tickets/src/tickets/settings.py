"""Settings of the tickets service."""

from __future__ import annotations

from pydantic import Field

from ops_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "tickets"
    http_port: int = 8001
    sla_scan_interval_s: float = Field(
        5.0, gt=0, description="How often each replica looks for due SLA warnings and breaches.")
    sla_scan_batch: int = Field(
        100, ge=1, le=1000, description="Due tickets one replica handles per scan.")
