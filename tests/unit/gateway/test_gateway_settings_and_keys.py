"""Settings refuse what must not run, the signing key pair must match, lockout arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from pydantic import ValidationError

from gateway.settings import GatewaySettings
from gateway.signing import TokenIssuer, load_signing_keys
from gateway.throttle import LockoutPolicy
from support.tokens import KeyPair


def _settings(**values: object) -> GatewaySettings:
    return GatewaySettings(_env_file=None, **values)


def test_a_signing_key_is_required_outside_development(keys: KeyPair) -> None:
    with pytest.raises(ValidationError, match="JWT_PRIVATE_KEY"):
        _settings(environment="production", jwt_public_key=keys.public_pem)
    assert _settings(environment="production", jwt_public_key=keys.public_pem,
                     jwt_private_key=keys.private_pem).token_ttl_s == 8 * 3600


def test_the_private_key_is_not_shown_in_settings(keys: KeyPair) -> None:
    settings = _settings(jwt_private_key=keys.private_pem)
    assert "PRIVATE KEY" not in repr(settings)


def test_development_without_a_key_gets_an_ephemeral_pair() -> None:
    first, second = load_signing_keys(_settings()), load_signing_keys(_settings())
    assert first.public_pem != second.public_pem
    issuer = TokenIssuer(first, _settings())
    token = issuer.issue("a1", "presales", None, 0).access_token
    claims = jwt.decode(token, first.public_pem, algorithms=["EdDSA"], audience="ops-staff")
    assert claims["sub"] == "a1"
    assert "team" not in claims


def test_a_public_key_that_is_not_the_private_keys_half_is_refused(keys: KeyPair) -> None:
    other = KeyPair.generate()
    with pytest.raises(ValueError, match="not the public half"):
        load_signing_keys(_settings(jwt_private_key=keys.private_pem,
                                    jwt_public_key=other.public_pem))
    matched = load_signing_keys(_settings(jwt_private_key=keys.private_pem,
                                          jwt_public_key=keys.public_pem))
    assert matched.public_pem.strip() == keys.public_pem.strip()


def test_only_ed25519_keys_sign() -> None:
    pem = generate_private_key(SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    with pytest.raises(ValueError, match="Ed25519"):
        load_signing_keys(_settings(jwt_private_key=pem))


def test_upstream_urls_lose_their_trailing_slash() -> None:
    urls = _settings(tickets_url="http://tickets:8001/").upstream_urls()
    assert urls == {"tickets": "http://tickets:8001", "logistics": "http://127.0.0.1:8002",
                    "hr": "http://127.0.0.1:8003"}


def test_the_fifth_failure_locks_and_later_attempts_are_over_the_limit() -> None:
    policy = LockoutPolicy(max_failures=5, lock_s=300)
    assert [policy.locks_after_failure(n) for n in (4, 5)] == [False, True]
    assert [policy.over_limit(n) for n in (5, 6)] == [False, True]
    now = datetime(2026, 10, 9, 9, 0, tzinfo=UTC)
    assert policy.seconds_locked(now + timedelta(seconds=299.2), now) == 300
    assert policy.seconds_locked(now, now) == 0
    assert policy.seconds_locked(None, now) == 0
