"""Settings of the hr service."""

from __future__ import annotations

from ops_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "hr"
    http_port: int = 8003
