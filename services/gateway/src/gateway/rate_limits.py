"""Rate limits at the front door: token buckets per staff id (the API) and per address (sign-in).

A bucket holds at most `burst` tokens and refills at `rate` per second; each request takes one,
and a request finding the bucket empty is refused with a 429 problem whose `Retry-After` says
when the next token arrives. The buckets live in this process's memory: with N gateway replicas
behind a load balancer each replica counts on its own, so a caller spread evenly over them gets
up to N × the rate (and N × the burst) before a refusal; a restart forgets the counts. That is
the intended trade: no database write per request. The sign-in lockout per staff id
(`throttle.py`) is in MongoDB and shared by all replicas; these limits are an outer guard
against floods, not the password-guessing defence.

Buckets that have refilled are worth nothing and are dropped when the table grows past
`max_keys`, so a flood of distinct addresses cannot grow memory without bound.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from gateway.settings import GatewaySettings
from ops_shared.web import Problem

MAX_KEYS = 50_000


class RateLimited(Problem):
    """Too many requests from one caller; answered 429 with `Retry-After`."""

    def __init__(self, scope: str, retry_after_s: int) -> None:
        super().__init__(429, "rate-limited", "Too many requests",
                         f"Too many {scope} requests; try again in {retry_after_s} s.",
                         headers={"Retry-After": str(retry_after_s)}, limit=scope,
                         retry_after_s=retry_after_s)


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """Token buckets keyed by caller (staff id or address), in process memory."""

    def __init__(self, scope: str, rate_per_s: float, burst: int, *,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_KEYS) -> None:
        self.scope = scope
        self.rate = rate_per_s
        self.burst = burst
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str) -> None:
        """Take one token for `key`, or raise `RateLimited` with the wait until the next one."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        else:
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return
        raise RateLimited(self.scope, max(1, math.ceil((1.0 - bucket.tokens) / self.rate)))

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled (they hold no information); if none, the oldest."""
        full = [key for key, b in self._buckets.items()
                if b.tokens + (now - b.at) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= self._max_keys:
            for key in list(self._buckets)[: len(self._buckets) // 2]:
                del self._buckets[key]


@dataclass(frozen=True)
class FrontDoorLimits:
    """The gateway's two limiters: signed-in requests per staff id, sign-ins per address."""

    api: RateLimiter
    signin: RateLimiter

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> FrontDoorLimits:
        return cls(api=RateLimiter("API", settings.api_rate_per_s, settings.api_burst),
                   signin=RateLimiter("sign-in", settings.signin_rate_per_min / 60,
                                      settings.signin_burst))
