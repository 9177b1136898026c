"""Indexes of the tickets service's collections (applied at start)."""

from pymongo import ASCENDING as ASC
from pymongo import DESCENDING as DESC
from pymongo import IndexModel

from ops_shared.persistence import Indexes
from tickets.storage import knowledge, review, surveys
from tickets.storage.customers import CUSTOMERS
from tickets.storage.staff import DUTY, STAFF
from tickets.storage.tickets import RELEASED_NUMBERS, RESERVED_NUMBERS, TICKETS

TICKET_INDEXES = (
    Indexes(TICKETS, (
        # SLA scheduler: find due tickets cheaply (T2-T6).
        IndexModel([("next_sla_check_at", ASC)], name="next_sla_check_at"),
        IndexModel([("state", ASC), ("created_at", DESC)], name="state_created"),
        IndexModel([("kind", ASC), ("created_at", DESC)], name="kind_created"),
        IndexModel([("assignee_id", ASC), ("state", ASC), ("created_at", DESC)],
                   name="assignee_state_created"),
        IndexModel([("customer_id", ASC), ("created_at", DESC)], name="customer_created"),
        IndexModel([("created_at", DESC)], name="created"),
        # One ticket per external task (an unidentified parcel, L6), however often announced.
        IndexModel([("source_ref", ASC)], name="source_ref", unique=True,
                   partialFilterExpression={"source_ref": {"$type": "string"}}),
    )),
    # T1: numbers given back by failed openings, the day's lowest taken first.
    Indexes(RELEASED_NUMBERS, (IndexModel([("day", ASC), ("seq", ASC)], name="day_seq"),)),
    # T1: numbers reserved for an external task, kept while its event may still be retried.
    Indexes(RESERVED_NUMBERS, (IndexModel([("at", ASC)], name="expires",
                                          expireAfterSeconds=7 * 24 * 3600),)),
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
