"""Settings refuse to start outside development with the development JWT key."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ops_shared.settings import DEV_JWT_PUBLIC_KEY, ServiceSettings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch) -> None:
    for name in ("JWT_PUBLIC_KEY", "ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("environment", ["production", "test"])
def test_default_jwt_key_refused_outside_development(environment: str) -> None:
    with pytest.raises(ValidationError, match="JWT_PUBLIC_KEY must be set"):
        ServiceSettings(environment=environment)
    with pytest.raises(ValidationError, match="JWT_PUBLIC_KEY must be set"):
        ServiceSettings(environment=environment, jwt_public_key=DEV_JWT_PUBLIC_KEY)


@pytest.mark.parametrize("environment", ["production", "test"])
def test_default_jwt_key_refused_when_read_from_the_environment(monkeypatch, keys,
                                                                environment: str) -> None:
    monkeypatch.setenv("ENVIRONMENT", environment)
    with pytest.raises(ValidationError, match="JWT_PUBLIC_KEY must be set"):
        ServiceSettings()
    monkeypatch.setenv("JWT_PUBLIC_KEY", keys.public_pem)
    assert ServiceSettings().environment == environment


def test_development_accepts_the_default_key_and_a_real_key_is_accepted_anywhere(keys) -> None:
    assert ServiceSettings().jwt_public_key == DEV_JWT_PUBLIC_KEY
    assert ServiceSettings(environment="production", jwt_public_key=keys.public_pem)


def test_unknown_environment_and_algorithm_are_refused(keys) -> None:
    with pytest.raises(ValidationError):
        ServiceSettings(environment="staging", jwt_public_key=keys.public_pem)
    with pytest.raises(ValidationError):
        ServiceSettings(jwt_algorithm="HS256")
