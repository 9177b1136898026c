"""Contract → handler: the whole list of what the gateway listens to."""

from __future__ import annotations

from gateway import directory
from gateway.identity import Identity
from ops_shared.contracts import hr
from ops_shared.messaging import Subscriptions
from ops_shared.persistence import MongoUnitOfWork

SUBSCRIPTIONS: Subscriptions[Identity, MongoUnitOfWork] = {
    hr.StaffChanged: directory.staff_changed,
}
