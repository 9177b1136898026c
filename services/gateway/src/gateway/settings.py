"""Settings of the gateway: signing key, token lifetime, upstream URLs, password hashing."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator

from ops_shared.settings import ServiceSettings

UPSTREAMS = ("tickets", "logistics", "hr")


class GatewaySettings(ServiceSettings):
    """Configuration of the gateway; every field can be set by an environment variable."""

    service_name: str = "gateway"
    http_port: int = 8000
    jwt_private_key: SecretStr = Field(
        SecretStr(""), description="PEM (PKCS8) of the Ed25519 key that signs staff tokens.")
    token_ttl_s: int = Field(8 * 3600, ge=60, le=24 * 3600)
    tickets_url: str = "http://127.0.0.1:8001"
    logistics_url: str = "http://127.0.0.1:8002"
    hr_url: str = "http://127.0.0.1:8003"
    upstream_timeout_s: float = Field(
        30.0, gt=0, description="Longest wait for an upstream's answer (504 beyond); services "
        "answer 503 with Retry-After well before it when a transaction cannot get through.")
    upstream_connect_timeout_s: float = Field(3.0, gt=0)
    openapi_timeout_s: float = Field(2.0, gt=0, description="Fetching an upstream's schema.")
    openapi_cache_s: float = Field(60.0, ge=0)
    health_timeout_s: float = Field(
        1.0, gt=0, description="Each readiness check (MongoDB, every upstream's /readyz).")
    upstream_read_retries: int = Field(
        1, ge=0, le=3, description="Retries of a GET/HEAD/OPTIONS whose upstream connection "
        "failed before any answer; other methods are never retried.")
    upstream_client: Literal["native", "httpx"] = Field(
        "native", description="HTTP client of the upstream calls: the gateway's own pooled "
        "HTTP/1.1 client (`gateway.upstream_client`) or httpx's transport.")
    max_url_bytes: int = Field(8 * 1024, ge=256, description="Path + query longer: 414.")
    max_header_bytes: int = Field(16 * 1024, ge=1024, description="Header section larger: 431.")
    max_body_bytes: int = Field(1024 * 1024, ge=1024, description="Request body larger: 413.")
    demo_accounts: bool = Field(False, description="Seed one account per role (development).")
    argon2_time_cost: int = Field(3, ge=1)
    argon2_memory_kib: int = Field(65536, ge=8)
    argon2_parallelism: int = Field(4, ge=1)
    login_max_failures: int = Field(5, ge=1)
    login_lock_s: int = Field(300, ge=1)
    login_failure_window_s: int = Field(900, ge=1, description="Failures older than this reset.")
    session_cache_s: float = Field(5.0, ge=0, description="How long an account check is reused.")
    api_rate_per_s: float = Field(
        20.0, gt=0, description="Signed-in requests per second per staff id (token bucket "
        "refill, per gateway replica).")
    api_burst: int = Field(100, ge=1, description="Requests a staff id may send at once.")
    signin_rate_per_min: float = Field(
        30.0, gt=0, description="Sign-in attempts per minute per client address (per replica).")
    signin_burst: int = Field(30, ge=1, description="Sign-in attempts an address may send at once.")
    cors_origins: list[str] = Field(
        default_factory=list, description="Browser origins allowed to call the API (exact "
        "`scheme://host[:port]`); none by default.")
    hsts_max_age_s: int = Field(
        31_536_000, ge=0, description="Strict-Transport-Security max-age outside development.")

    @model_validator(mode="after")
    def _refuse_missing_signing_key(self) -> GatewaySettings:
        if self.environment != "development" and not self.jwt_private_key.get_secret_value():
            raise ValueError("JWT_PRIVATE_KEY must be set outside development")
        if self.jwt_algorithm != "EdDSA":
            raise ValueError("the gateway signs with Ed25519: JWT_ALGORITHM must be EdDSA")
        if "*" in self.cors_origins:
            raise ValueError("CORS_ORIGINS lists origins; '*' is not allowed with credentials")
        if self.argon2_memory_kib < 8 * self.argon2_parallelism:
            raise ValueError("ARGON2_MEMORY_KIB must be at least 8 × ARGON2_PARALLELISM")
        return self

    def upstream_urls(self) -> dict[str, str]:
        """Service name → base URL of every upstream, in a fixed order."""
        return {name: getattr(self, f"{name}_url").rstrip("/") for name in UPSTREAMS}
