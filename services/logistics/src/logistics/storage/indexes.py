"""Indexes of the logistics service's collections (applied at start): the whole list."""

from pymongo import ASCENDING as ASC
from pymongo import DESCENDING as DESC
from pymongo import IndexModel

from logistics.storage.cases import PROBLEM_PARCELS, RESHIPMENTS
from logistics.storage.recalls import RECALLS
from logistics.storage.receipts import PARCEL_TASKS
from logistics.storage.refunds import REFUNDS
from logistics.storage.rmas import RMAS
from ops_shared.persistence import Indexes

# Lists by state, order and owner. Every index costs each save on SecantusDB, so fields that
# change with the state (open, next_action_at) are filtered, not indexed.
_CASES = (
    IndexModel([("state", ASC), ("opened_at", DESC)], name="state_opened"),
    IndexModel([("order_id", ASC)], name="order"),
    IndexModel([("owner_id", ASC)], name="owner"),
    IndexModel([("opened_at", DESC)], name="opened"),
)

INDEXES: tuple[Indexes, ...] = (
    Indexes(RMAS, (
        *_CASES,
        # L1: one open RMA per order and item, across replicas (unset once the RMA is over).
        IndexModel([("open_keys", ASC)], name="open_keys", unique=True,
                   partialFilterExpression={"open_keys": {"$type": "string"}}),
        # L6: receipt matching by tracking number, then by customer.
        IndexModel([("tracking_number", ASC)], name="tracking"),
        IndexModel([("customer_id", ASC)], name="customer"),
    )),
    Indexes(RECALLS, (*_CASES, IndexModel([("tracking_number", ASC)], name="tracking"))),
    Indexes(PROBLEM_PARCELS, _CASES),
    Indexes(RESHIPMENTS, _CASES),
    # L7: exactly one refund per RMA or recall, whatever path asks for it.
    Indexes(REFUNDS, (
        IndexModel([("subject", ASC)], name="one_refund_per_subject", unique=True),
        IndexModel([("issued_at", DESC)], name="issued"),
    )),
    Indexes(PARCEL_TASKS, (IndexModel([("state", ASC), ("created_at", DESC)],
                                      name="state_created"),)),
)
