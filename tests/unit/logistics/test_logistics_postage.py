"""L3: who pays postage, in integer fen."""

from __future__ import annotations

import pytest

from logistics.domain.errors import ValidationFailed
from logistics.domain.postage import Payer, postage_terms


def test_l3_confirmed_quality_return_shop_pays_and_refunds_the_advance() -> None:
    terms = postage_terms(exchange=False, quality_confirmed=True, return_postage_fen=1250)
    assert terms.return_leg_payer == Payer.SHOP and terms.outgoing_leg_payer is None
    assert terms.customer_advanced_fen == 1250 and terms.owed_to_customer_fen == 1250
    assert terms.shop_pays_fen == 1250


def test_l3_no_quality_problem_customer_pays_the_return_leg() -> None:
    terms = postage_terms(exchange=False, quality_confirmed=False, return_postage_fen=1250)
    assert terms.return_leg_payer == Payer.CUSTOMER
    assert terms.owed_to_customer_fen == 0 and terms.shop_pays_fen == 0
    assert terms.customer_advanced_fen == 1250


def test_l3_confirmed_quality_exchange_shop_pays_both_ways() -> None:
    terms = postage_terms(exchange=True, quality_confirmed=True, return_postage_fen=1000,
                          outgoing_postage_fen=1200)
    assert terms.return_leg_payer == terms.outgoing_leg_payer == Payer.SHOP
    assert terms.owed_to_customer_fen == 1000 and terms.shop_pays_fen == 2200


def test_l3_plain_exchange_customer_pays_one_way_only() -> None:
    terms = postage_terms(exchange=True, quality_confirmed=False, return_postage_fen=1000,
                          outgoing_postage_fen=1200)
    assert terms.return_leg_payer == Payer.CUSTOMER and terms.outgoing_leg_payer == Payer.SHOP
    assert terms.owed_to_customer_fen == 0 and terms.shop_pays_fen == 1200


@pytest.mark.parametrize("bad", [-1, 1.5, True, "12"])
def test_l3_amounts_are_whole_fen(bad) -> None:
    with pytest.raises(ValidationFailed):
        postage_terms(exchange=False, quality_confirmed=True, return_postage_fen=bad)


def test_l3_a_return_has_no_outgoing_leg() -> None:
    with pytest.raises(ValidationFailed):
        postage_terms(exchange=False, quality_confirmed=True, outgoing_postage_fen=100)
