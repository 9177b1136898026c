"""The gateway's cache of verified tokens: exact tokens only, and only until they expire."""

from __future__ import annotations

import time

import pytest

from gateway.token_cache import CachingTokenVerifier
from ops_shared.web import Problem
from support.tokens import AUDIENCE, ISSUER, KeyPair


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _verifier(keys: KeyPair, clock: Clock, **extra: int) -> CachingTokenVerifier:
    return CachingTokenVerifier(keys.public_pem, issuer=ISSUER, audience=AUDIENCE,
                                algorithm="EdDSA", clock=clock, **extra)


def test_a_verified_token_is_remembered_until_it_expires() -> None:
    keys, clock = KeyPair.generate(), Clock()
    verifier = _verifier(keys, clock)
    token = keys.token("as-1", "aftersales", ttl=60)
    first = verifier.verify(token)
    assert verifier.verify(token) is first  # no second signature check
    clock.now += 61
    # Past `exp` the full check runs again: PyJWT's own clock says it is still valid here
    # (the test clock moved, the real one did not), so it is verified afresh, not refused.
    assert verifier.verify(token) == first


def test_a_changed_token_is_never_taken_from_the_cache() -> None:
    keys, clock = KeyPair.generate(), Clock()
    verifier = _verifier(keys, clock)
    token = keys.token("as-1", "aftersales")
    verifier.verify(token)
    header, payload, signature = token.split(".")
    other_first = "B" if signature[0] != "B" else "C"  # the first character carries 6 bits
    for forged in (f"{header}.{payload}.{other_first}{signature[1:]}", f"{header}.{payload}.",
                   token + " "):
        with pytest.raises(Problem) as refused:
            verifier.verify(forged)
        assert refused.value.status == 401


def test_expired_tokens_are_refused_and_not_remembered() -> None:
    keys, clock = KeyPair.generate(), Clock()
    verifier = _verifier(keys, clock)
    token = keys.token("as-1", "aftersales", ttl=-60)
    for _ in range(2):
        with pytest.raises(Problem):
            verifier.verify(token)


def test_the_cache_is_bounded() -> None:
    keys, clock = KeyPair.generate(), Clock()
    verifier = _verifier(keys, clock, max_cached=3)
    for n in range(10):
        verifier.verify(keys.token(f"as-{n}", "aftersales"))
    assert len(verifier._verified) == 3
