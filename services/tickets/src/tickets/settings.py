"""Settings of the tickets service."""

from __future__ import annotations

from ops_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "tickets"
    http_port: int = 8001
