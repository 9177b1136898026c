"""Settings shared by every service, read from the environment and validated at start."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_JWT_PUBLIC_KEY = "dev-insecure"


class ServiceSettings(BaseSettings):
    """Configuration of one service; every field can be set by an environment variable."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    service_name: str = Field("service", description="Name of the service; names its queues.")
    environment: Literal["development", "test", "production"] = "development"
    mongo_url: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    mongo_db: str = ""
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    exchange: str = Field("ops.events", description="Topic exchange carrying every event.")
    queue_prefix: str = Field("", description="Prefix for queue names (test isolation).")
    prefetch: int = Field(32, ge=1, le=1000)
    consume_batch: int = Field(32, ge=1, le=500,
                               description="Events applied in one transaction at most (1: off).")
    delivery_limit: int = Field(5, ge=1, description="Broker redeliveries before dead-lettering.")
    retry_delays_ms: tuple[int, ...] = (1000, 5000, 30000)
    max_message_bytes: int = Field(256 * 1024, ge=1024, description=(
        "A consumed message body over this many bytes is dead-lettered at once, unread."))
    handler_timeout_s: float = Field(30.0, gt=0, description=(
        "Time one event's handler may take; then it fails (retried, then dead-lettered)."))
    transaction_retry_budget_s: float = Field(90.0, gt=0, description=(
        "How long a transaction is retried on transient write conflicts; outlasts the "
        "server's 60 s transaction lifetime, so an orphaned transaction cannot fail it."))
    http_transaction_budget_s: float = Field(10.0, gt=0, description=(
        "The same budget inside an HTTP request; then 503 with Retry-After. Keep it well "
        "under the gateway's upstream timeout (UPSTREAM_TIMEOUT_S, 30 s)."))
    publish_timeout_s: float = 10.0
    relay_batch: int = Field(100, ge=1, le=1000)
    relay_poll_s: float = 0.5
    relay_lease_s: float = Field(15.0, gt=0, description="How long a relay's lease lasts.")
    outbox_retention_h: int = 72
    jwt_public_key: str = Field(DEV_JWT_PUBLIC_KEY, description="PEM that verifies staff tokens.")
    jwt_extra_public_keys: list[str] = Field(
        default_factory=list, max_length=4,
        description="Further PEMs accepted while the signing key is rotated (JSON list): tokens "
                    "signed by the old or the new key both verify until the old ones expire.")
    jwt_issuer: str = "ops-gateway"
    jwt_audience: str = "ops-staff"
    jwt_algorithm: Literal["EdDSA", "RS256", "ES256"] = "EdDSA"
    timezone: str = "Asia/Shanghai"
    calendar_refresh_s: float = Field(60.0, gt=0, description="How often admin days are re-read.")
    log_json: bool = False
    log_level: str = "INFO"
    max_request_body_bytes: int = Field(1024 * 1024, ge=0, description=(
        "A request body over this is refused with 413, before it is read."))
    max_url_bytes: int = Field(8192, ge=256, description="Longer path + query: 414.")
    max_header_count: int = Field(100, ge=10, description="More request headers: 431.")
    max_header_bytes: int = Field(16384, ge=1024, description="Larger request headers: 431.")
    idempotency_ttl_h: float = Field(24.0, gt=0, description=(
        "How long the answer to a request with an Idempotency-Key is kept for its retries."))
    staff_session_cache_s: float = Field(5.0, ge=0, description=(
        "How long a staff member's session state (active, session version) is reused."))
    unrouted_max_length: int = Field(10_000, ge=1, description=(
        "Unroutable messages kept in `<exchange>.unrouted.capped`; the oldest are dropped."))
    shutdown_delay_s: float = Field(5.0, ge=0, description=(
        "After SIGTERM, /readyz answers 503 this long before HTTP stops (see serving.py)."))
    http_grace_s: float = Field(10.0, ge=1, description=(
        "After HTTP stops listening, how long requests in flight may take to finish."))
    drain_timeout_s: float = Field(20.0, ge=0, description=(
        "At stop, how long the consumer waits for its in-flight deliveries to be applied and "
        "acked; the rest go back to the queue (another replica gets them)."))
    http_host: str = "127.0.0.1"
    http_port: int = 8001

    @model_validator(mode="after")
    def _refuse_defaults_outside_development(self) -> ServiceSettings:
        if self.environment != "development" and self.jwt_public_key == DEV_JWT_PUBLIC_KEY:
            raise ValueError("JWT_PUBLIC_KEY must be set outside development")
        return self

    @property
    def database(self) -> str:
        return self.mongo_db or self.service_name

    def queue(self, suffix: str) -> str:
        """Name of one of this service's queues, e.g. `tickets.events`."""
        return f"{self.queue_prefix}{self.service_name}.{suffix}"
