"""The console's settings: where the gateway is, where to listen, how cookies are made."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    """Every setting is an environment variable (`GATEWAY_URL`, `HTTP_PORT`, ...)."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    service_name: str = "console"
    gateway_url: str = Field("http://127.0.0.1:8000",
                             description="The gateway API; the console calls nothing else.")
    gateway_timeout_s: float = Field(15.0, gt=0, le=120)
    http_host: str = "127.0.0.1"
    http_port: int = Field(8004, ge=1, le=65535)
    http_grace_s: float = Field(20.0, ge=1, le=120, description=(
        "After SIGTERM HTTP stops listening; requests in flight may take this long to finish "
        "(a page waits GATEWAY_TIMEOUT_S at most for the gateway)."))
    timezone: str = "Asia/Shanghai"
    log_json: bool = False
    log_level: str = "INFO"
    cookie_secure: bool | None = Field(
        None, description="Secure cookies; default: everywhere but development.")

    @property
    def secure_cookies(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.environment != "development"
