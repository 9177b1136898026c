"""Indexes of the tickets service's collections (applied at start): the service's one list.

Storage modules own their collection names; every index on those collections is declared here.
"""

from pymongo import ASCENDING as ASC
from pymongo import DESCENDING as DESC
from pymongo import IndexModel

from ops_shared.persistence import Indexes
from tickets.storage.customers import CUSTOMERS
from tickets.storage.knowledge import ARTICLE_VERSIONS, ARTICLES
from tickets.storage.review import REMINDERS, REVIEW_ITEMS
from tickets.storage.staff import DUTY, STAFF
from tickets.storage.surveys import DISPATCHES, RESPONSES, ROUNDS
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

KNOWLEDGE_INDEXES = (
    Indexes(ARTICLES, (
        IndexModel([("terms", 1)], name="terms"),
        IndexModel([("tags", 1)], name="tags"),
        IndexModel([("archived", 1), ("updated_at", -1)], name="archived_updated"),
    )),
    Indexes(ARTICLE_VERSIONS, (
        IndexModel([("article_id", 1), ("version", 1)], name="article_version", unique=True),
    )),
    Indexes(TICKETS, (  # read-side indexes for "tickets that used this article"
        IndexModel([("articles", 1)], name="articles"),
    )),
)

SURVEY_INDEXES = (
    Indexes(ROUNDS, (IndexModel([("period_start", -1)], name="period_start"),)),
    Indexes(RESPONSES, (
        # One answer per customer, ticket and round; a customer without a ticket answers once.
        IndexModel([("round_id", 1), ("customer_id", 1), ("ticket_number", 1)],
                   name="one_answer", unique=True),
        IndexModel([("at", 1)], name="at"),
    )),
    Indexes(DISPATCHES, (
        IndexModel([("round_id", 1), ("department", 1)], name="round_department", unique=True),
        IndexModel([("status", 1), ("dispatch_due", 1)], name="status_due"),
    )),
)

REVIEW_INDEXES = (
    Indexes(REVIEW_ITEMS, (
        IndexModel([("resolved", 1), ("kind", 1), ("next_action_at", 1)], name="open_items"),
        IndexModel([("owner_id", 1)], name="owner"),
    )),
    Indexes(REMINDERS, (
        IndexModel([("day", 1), ("owner_id", 1)], name="day_owner", unique=True),
    )),
)

INDEXES: tuple[Indexes, ...] = (*TICKET_INDEXES, *KNOWLEDGE_INDEXES, *SURVEY_INDEXES,
                                 *REVIEW_INDEXES)
