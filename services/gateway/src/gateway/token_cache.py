"""Verified tokens remembered for the proxy path: one signature check per token, not per call.

A staff member's token is sent with every call for hours; verifying its Ed25519 signature and
claims each time is the largest piece of the gateway's own work per request. The cache is keyed
by the whole token string, so only the exact bytes that were verified hit it, and an entry is
used only while the token has not expired (after that the full check runs, and refuses it).
Revocation is not affected: the session check (`sessions.py`) runs on every request after this.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from ops_shared.web import Principal, TokenVerifier

MAX_CACHED = 10_000


class CachingTokenVerifier(TokenVerifier):
    """`TokenVerifier` with a bounded cache of tokens it has verified, until their `exp`."""

    def __init__(self, public_key: str, *, issuer: str, audience: str, algorithm: str,
                 extra_keys: Sequence[str] = (), max_cached: int = MAX_CACHED,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(public_key, issuer=issuer, audience=audience, algorithm=algorithm,
                         extra_keys=extra_keys)
        self._max_cached = max_cached
        self._clock = clock
        self._verified: OrderedDict[str, tuple[float, Principal]] = OrderedDict()

    def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None and self._clock() < cached[0]:
            return cached[1]
        principal = super().verify(token)  # raises for every token it refuses
        self._verified[token] = (float(principal.claims["exp"]), principal)
        if len(self._verified) > self._max_cached:
            self._verified.popitem(last=False)
        return principal
