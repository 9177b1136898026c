"""Rotating the token-signing key without downtime: during the change, services accept tokens
signed by the old key and by the new one; a key outside the set is still refused."""

from __future__ import annotations

import json

import pytest

from ops_shared.settings import ServiceSettings
from ops_shared.web import Problem, TokenVerifier
from support.tokens import AUDIENCE, ISSUER, KeyPair

OLD, NEW, STRANGER = KeyPair.generate(), KeyPair.generate(), KeyPair.generate()


def verifier(current: KeyPair, *extra: KeyPair) -> TokenVerifier:
    return TokenVerifier(current.public_pem, issuer=ISSUER, audience=AUDIENCE,
                         algorithm="EdDSA", extra_keys=[k.public_pem for k in extra])


def test_during_a_rotation_tokens_of_either_key_verify() -> None:
    rotating = verifier(OLD, NEW)
    assert rotating.verify(OLD.token("as-1", "aftersales")).staff_id == "as-1"
    assert rotating.verify(NEW.token("as-2", "aftersales")).staff_id == "as-2"


def test_a_key_outside_the_set_is_refused() -> None:
    with pytest.raises(Problem) as refused:
        verifier(OLD, NEW).verify(STRANGER.token("as-1", "aftersales"))
    assert refused.value.status == 401


def test_after_the_rotation_the_old_key_is_refused() -> None:
    with pytest.raises(Problem) as refused:
        verifier(NEW).verify(OLD.token("as-1", "aftersales"))
    assert refused.value.status == 401


def test_an_expired_token_is_refused_as_expired_whatever_key_signed_it() -> None:
    with pytest.raises(Problem) as refused:
        verifier(OLD, NEW).verify(NEW.token("as-1", "aftersales", ttl=-60))
    assert refused.value.slug == "token-expired"


def test_the_extra_keys_come_from_settings_as_a_json_list(monkeypatch) -> None:
    listed = json.dumps([NEW.public_pem.strip()])
    monkeypatch.setenv("JWT_EXTRA_PUBLIC_KEYS", listed)
    settings = ServiceSettings(service_name="tickets")
    assert [k.strip() for k in settings.jwt_extra_public_keys] == [NEW.public_pem.strip()]
