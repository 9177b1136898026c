"""Placeholder: indexes of the tickets service, filled by the tickets work."""

from ops_shared.storage import Indexes

INDEXES: tuple[Indexes, ...] = ()
