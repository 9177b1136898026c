"""Problem parcels and re-shipments in MongoDB (L12)."""

from __future__ import annotations

from logistics.domain.cases import ProblemParcel, Reshipment
from logistics.storage.aggregates import MongoAggregates

PROBLEM_PARCELS = "problem_parcels"
RESHIPMENTS = "reshipments"


class MongoProblemParcelRepository(MongoAggregates[ProblemParcel]):
    kind, collection_name, key, what = (ProblemParcel, PROBLEM_PARCELS, "case_id",
                                        "problem parcel")


class MongoReshipmentRepository(MongoAggregates[Reshipment]):
    kind, collection_name, key, what = Reshipment, RESHIPMENTS, "case_id", "re-shipment"
