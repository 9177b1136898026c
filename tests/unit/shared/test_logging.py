"""Unit tests of personal-data masking in logs (T15)."""

from __future__ import annotations

import json

import pytest
import structlog

from ops_shared.logging import configure_logging, mask_personal_data, mask_text


def masked(**event: object) -> dict:
    return mask_personal_data(None, "info", dict(event))


def test_phone_numbers_are_masked_in_nested_values() -> None:
    out = masked(
        event="called back 13812345678",
        ticket={"note": "客户电话13912345678，邮箱 zhang.san@example.com",
                "history": [{"text": "回拨 15012345678 未接"}, "18612345678", ("17712345678",)]},
        count=3, ok=True, nothing=None,
    )
    assert out["event"] == "called back 138****5678"
    assert out["ticket"]["note"] == "客户电话139****5678，邮箱 z***@example.com"
    assert out["ticket"]["history"] == [{"text": "回拨 150****5678 未接"}, "186****5678",
                                        ["177****5678"]]
    assert (out["count"], out["ok"], out["nothing"]) == (3, True, None)


def test_personal_keys_are_masked_wherever_they_appear() -> None:
    out = masked(
        event="ticket.created",
        phone="13812345678",
        Customer_Name="张三",
        ticket={"id": "T1", "address": {"city": "上海", "street": "某路 1 号"},
                "parties": [{"contact": "李四", "role": "buyer"}],
                "platform_ids": ["tb-123", "jd-456"], "email": ""},
        staff_id="s1",
    )
    assert out["phone"] == "***" and out["Customer_Name"] == "***"
    assert out["ticket"]["address"] == "***" and out["ticket"]["platform_ids"] == "***"
    assert out["ticket"]["parties"] == [{"contact": "***", "role": "buyer"}]
    assert out["ticket"]["email"] == ""  # nothing to hide
    assert out["ticket"]["id"] == "T1" and out["staff_id"] == "s1"


@pytest.mark.parametrize(("text", "expected"), [
    ("+86 13812345678", "+86 138****5678"),
    ("+8613812345678", "+86138****5678"),
    ("86-13812345678", "86-138****5678"),
    ("138-1234-5678", "138****5678"),
    ("138 1234 5678", "138****5678"),
])
def test_phone_numbers_in_common_written_forms_are_masked(text: str, expected: str) -> None:
    assert mask_text(f"tel {text}.") == f"tel {expected}."


@pytest.mark.parametrize("text", [
    "order 202611261234567890",  # a long order number containing 1[3-9]... digits
    "12345678901",  # not a mainland mobile prefix
    "1381234567",  # one digit short
    "2026-11-26 13:45:12",
])
def test_other_numbers_are_left_alone(text: str) -> None:
    assert mask_text(text) == text


@pytest.fixture
def restore_structlog():
    saved = structlog.get_config()
    yield
    structlog.configure(**saved)
    structlog.contextvars.clear_contextvars()


def test_configured_logger_masks_fields_and_exceptions(capsys, restore_structlog) -> None:
    configure_logging("unit", json=True)
    log = structlog.get_logger("unit")
    log.info("sms.sent", to={"numbers": ["13812345678"]}, phone="13912345678")
    try:
        raise LookupError("no customer with mobile 15012345678")
    except LookupError:
        log.exception("customer.lookup_failed")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["to"] == {"numbers": ["138****5678"]} and lines[0]["phone"] == "***"
    assert "150****5678" in lines[1]["exception"]
    for number in ("13812345678", "13912345678", "15012345678"):
        assert all(number not in json.dumps(line) for line in lines), number
