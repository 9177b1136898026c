"""An upload that counts how much of it the gateway took: proof that a body was not read."""

from __future__ import annotations

from collections.abc import AsyncIterator

MIB = 1024 * 1024
CHUNK = 64 * 1024


class CountingBody:
    """An upload of `total` bytes, sent in 64 KiB chunks, that counts what was taken from it."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.taken = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.taken < self.total:
            piece = b"x" * min(CHUNK, self.total - self.taken)
            self.taken += len(piece)
            yield piece
