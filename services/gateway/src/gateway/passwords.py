"""Argon2id password hashing, run in a worker thread so the event loop keeps answering."""

from __future__ import annotations

import asyncio
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from gateway.settings import GatewaySettings


class Passwords:
    """Hashes and checks passwords; an unknown account costs as much as a wrong password."""

    def __init__(self, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib,
                                      parallelism=parallelism, type=Type.ID)
        self._decoy: str | None = None

    @classmethod
    def default(cls) -> Passwords:
        """argon2-cffi's recommended parameters (RFC 9106, low memory)."""
        return cls(3, 65536, 4)

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> Passwords:
        return cls(settings.argon2_time_cost, settings.argon2_memory_kib,
                   settings.argon2_parallelism)

    async def hash(self, password: str) -> str:
        """The Argon2id hash of `password` (encoded with its parameters and salt)."""
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether `password` matches; with no hash, spend the same work and answer False."""
        target = password_hash or await self._decoy_hash()
        try:
            matched = await asyncio.to_thread(self._hasher.verify, target, password)
        except (VerificationError, InvalidHashError):
            return False
        return matched and password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether the hash was made with other parameters than the current ones."""
        return self._hasher.check_needs_rehash(password_hash)

    async def _decoy_hash(self) -> str:
        if self._decoy is None:
            self._decoy = await self.hash(secrets.token_urlsafe(16))
        return self._decoy
