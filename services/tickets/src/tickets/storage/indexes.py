"""Indexes of the tickets service's collections (applied at start)."""

from pymongo import ASCENDING as ASC
from pymongo import IndexModel

from ops_shared.persistence import Indexes
from tickets.storage import knowledge, review, surveys, tickets
from tickets.storage.customers import CUSTOMERS
from tickets.storage.staff import DUTY, STAFF

TICKET_INDEXES = (
    *tickets.INDEXES,
    Indexes(CUSTOMERS, (IndexModel([("platform_ids", ASC)], name="platform_ids"),)),
    Indexes(DUTY, (
        IndexModel([("day", ASC), ("role", ASC)], name="day_role"),
        IndexModel([("month", ASC), ("team", ASC)], name="month_team"),
    )),
    Indexes(STAFF, (IndexModel([("role", ASC), ("active", ASC)], name="role_active"),)),
)

# The knowledge base, surveys and review declare their own lists in their storage modules;
# they are added here when they exist.
INDEXES: tuple[Indexes, ...] = (*TICKET_INDEXES, *knowledge.INDEXES, *surveys.INDEXES,
                                 *review.INDEXES)
