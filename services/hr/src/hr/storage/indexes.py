"""Indexes of the hr service's collections (applied at start): the whole list."""

from pymongo import ASCENDING as ASC
from pymongo import IndexModel

from hr.storage.directory import STAFF
from hr.storage.money import FUND, LEDGER
from hr.storage.records import FACTS, PRESENCE, PUNCHES
from hr.storage.rosters import REQUESTS, ROSTERS
from ops_shared.persistence import Indexes

INDEXES: tuple[Indexes, ...] = (
    Indexes(STAFF, (IndexModel([("team", ASC)], name="team"),
                    IndexModel([("supervisor_id", ASC)], name="supervisor"))),
    Indexes(ROSTERS, (IndexModel([("month", ASC), ("status", ASC)], name="month_status"),)),
    Indexes(PUNCHES, (IndexModel([("staff_id", ASC), ("at", ASC)], name="staff_at"),)),
    Indexes(REQUESTS, (
        IndexModel([("staff_id", ASC), ("month", ASC)], name="staff_month"),
        IndexModel([("colleague_id", ASC), ("month", ASC)], name="colleague_month"),
        IndexModel([("approver_id", ASC), ("state", ASC)], name="approver_state"),
    )),
    Indexes(PRESENCE, (IndexModel([("staff_id", ASC), ("at", ASC)], name="staff_at"),)),
    # H23: each source is recorded exactly once, whatever is redelivered or replayed.
    Indexes(LEDGER, (
        IndexModel([("source_key", ASC)], name="source_once", unique=True),
        IndexModel([("month", ASC), ("staff_id", ASC)], name="month_staff"),
        IndexModel([("staff_id", ASC), ("rule", ASC)], name="staff_rule"),
    )),
    Indexes(FUND, (IndexModel([("source", ASC)], name="source_once", unique=True),)),
    Indexes(FACTS, (IndexModel([("month", ASC), ("staff_id", ASC)], name="month_staff"),)),
)
