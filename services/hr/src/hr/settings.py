"""Settings of the hr service."""

from __future__ import annotations

from pydantic import Field

from ops_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "hr"
    http_port: int = 8003
    job_interval_s: float = Field(300.0, gt=0, description="How often the nightly jobs are "
                                  "offered (closing yesterday, drafting the settlement).")
    demo_staff: bool = Field(False, description="Seed the demo staff and this month's roster "
                             "(development only).")
