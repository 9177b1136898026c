"""Settings of the logistics service."""

from __future__ import annotations

from ops_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "logistics"
    http_port: int = 8002
