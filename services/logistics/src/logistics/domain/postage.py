"""L3: who pays postage, in integer fen.

A confirmed quality problem (L2) means the shop pays both ways: the customer advances the return
postage and gets it back with the refund. Otherwise the customer pays the one-way return postage.
The outgoing leg of an exchange (the replacement) is always the shop's: "one-way" is the return.
An unconfirmed or rejected quality claim counts as no quality problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from logistics.domain.errors import ValidationFailed


class Payer(StrEnum):
    SHOP = "shop"
    CUSTOMER = "customer"


@dataclass(frozen=True)
class Postage:
    """Who pays each leg, what the customer advanced and what the shop owes back (fen)."""

    return_leg_payer: Payer
    outgoing_leg_payer: Payer | None  # None: a return has no outgoing leg
    return_postage_fen: int  # what the customer paid the courier for the return leg
    outgoing_postage_fen: int  # what the shop paid for the replacement (exchanges)
    customer_advanced_fen: int
    owed_to_customer_fen: int
    shop_pays_fen: int


def postage_terms(*, exchange: bool, quality_confirmed: bool, return_postage_fen: int = 0,
                  outgoing_postage_fen: int = 0) -> Postage:
    """L3 in fen: the split of both legs for an RMA."""
    for name, value in (("return_postage_fen", return_postage_fen),
                        ("outgoing_postage_fen", outgoing_postage_fen)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationFailed(f"{name} must be a whole number of fen >= 0", name)
    if not exchange and outgoing_postage_fen:
        raise ValidationFailed("a return has no outgoing leg", "outgoing_postage_fen")
    outgoing_payer = Payer.SHOP if exchange else None
    owed = return_postage_fen if quality_confirmed else 0
    return Postage(
        return_leg_payer=Payer.SHOP if quality_confirmed else Payer.CUSTOMER,
        outgoing_leg_payer=outgoing_payer,
        return_postage_fen=return_postage_fen,
        outgoing_postage_fen=outgoing_postage_fen,
        customer_advanced_fen=return_postage_fen,
        owed_to_customer_fen=owed,
        shop_pays_fen=owed + outgoing_postage_fen,
    )
