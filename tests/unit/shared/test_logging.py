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


# Issue 7, item 1: masking costs time linear in its input, and bounded work per field.

def _repeats(pattern: str) -> list[tuple[str, int, bool]]:
    """Every repetition of a compiled pattern: (kind, max, whether it holds another repeat)."""
    import re._constants as c
    import re._parser as parser

    found: list[tuple[str, int, bool]] = []

    def walk(items) -> bool:  # whether `items` hold a repetition
        has_repeat = False
        for op, arg in items:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                _low, high, body = arg
                nested = walk(body)
                found.append((str(op), high, nested))
                has_repeat = True
            elif op in (c.SUBPATTERN, c.ATOMIC_GROUP):
                has_repeat |= walk(arg[-1] if op == c.SUBPATTERN else arg)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                has_repeat |= walk(arg[1])
            elif op == c.BRANCH:
                for branch in arg[1]:
                    has_repeat |= walk(branch)
        return has_repeat

    walk(parser.parse(pattern))
    return found


@pytest.mark.parametrize("pattern", ["PHONE_PATTERN", "EMAIL_PATTERN"])
def test_masking_patterns_cannot_backtrack(pattern: str) -> None:
    """Structural proof: an unbounded repetition is possessive and holds no other repetition;
    every other repetition is bounded (so one match attempt looks at a bounded window)."""
    import re._constants as c

    from ops_shared import logging as masking

    repeats = _repeats(getattr(masking, pattern))
    assert repeats
    for kind, high, nested in repeats:
        if high == c.MAXREPEAT:
            assert kind == "POSSESSIVE_REPEAT" and not nested, (pattern, kind)
        else:
            assert high <= 4, (pattern, high)


def test_the_email_pattern_starts_only_where_a_run_starts() -> None:
    """Without this, each position inside a long run would retake the rest of the run."""
    from ops_shared.logging import EMAIL_PATTERN

    assert EMAIL_PATTERN.startswith("(?<![A-Za-z0-9._%+-])")


@pytest.mark.parametrize("text", [
    "a" * 1_000_000,                 # the old e-mail pattern's worst case: no '@' anywhere
    "a." * 500_000 + "@",            # a run ending in '@' with no domain
    "a@" * 500_000,                  # many addresses, each cut short by the next '@'
    "1" * 1_000_000,                 # digits everywhere, no whole-word phone
    "138 " * 250_000,                # phone prefixes that never complete
])
def test_megabyte_inputs_mask_without_backtracking(text: str) -> None:
    """These finish at once with linear patterns (the old e-mail pattern needed ~10^12 steps
    for the first); the structural test above is the proof, this is the demonstration."""
    assert len(mask_text(text)) >= len(text)


def test_a_megabyte_field_is_cut_before_masking() -> None:
    from ops_shared.logging import MAX_FIELD_CHARS

    big = "x" * (MAX_FIELD_CHARS - 5) + "13812345678" + "y" * 1_000_000
    out = masked(event="event.rejected", error=big, note=["z" * 1_000_000] * 1000)
    assert len(out["error"]) < MAX_FIELD_CHARS + 40
    assert out["error"].endswith("more chars]")
    assert "13812" not in out["error"]  # the phone cut in two is dropped, not half shown
    assert len(out["note"]) == 101 and out["note"][-1] == "…[900 more items]"
    assert all(len(item) < MAX_FIELD_CHARS + 40 for item in out["note"][:100])


@pytest.mark.parametrize("identifier", [
    "ffc4087c15618211821e73fe5e2c6ba2",          # the correlation id the issue saw damaged
    "13812345678aaaabbbbccccddddeeeef",         # a hex id starting like a phone
    "f13812345678",                              # ... and one holding a phone's digits
    "6650c1f7a13912345678abcd",                  # an ObjectId
    "3f2b1c9e-1381-2345-6789-13812345678f",      # a uuid with phone-like groups
    "replay-0c1381234567890abcdef13912345678",
])
def test_hex_and_uuid_ids_are_never_masked(identifier: str) -> None:
    out = masked(event="event.handled", correlation_id=identifier, event_id=identifier,
                 note=f"applied {identifier} ok")
    assert out["correlation_id"] == identifier and out["event_id"] == identifier
    assert out["note"] == f"applied {identifier} ok"


def test_control_characters_are_escaped_never_written_raw(capsys, restore_structlog) -> None:
    path = "/tickets/\x1b[31mred\r\nFAKE level=error\x00\u202eevil\x85"
    configure_logging("unit", json=False)
    structlog.get_logger("unit").info("http.request", path=path, nested={"k\n": ["a\tb"]})
    line = capsys.readouterr().out
    assert line.count("\n") == 1 and "\r" not in line and "\x1b" not in line
    assert "\x00" not in line and "\u202e" not in line and "\x85" not in line
    assert "x1b[31mred" in line and "x0d" in line and "x0aFAKE" in line and "u202eevil" in line
    configure_logging("unit", json=True)
    structlog.get_logger("unit").info("http.request", path=path)
    record = json.loads(capsys.readouterr().out)
    assert record["path"] == ("/tickets/\\x1b[31mred\\x0d\\x0aFAKE level=error\\x00"
                              "\\u202eevil\\x85")


def test_tracebacks_keep_their_lines_and_their_end() -> None:
    from ops_shared.logging import MAX_TRACE_CHARS

    trace = "Traceback\n  line\n" + "frame\n" * 10_000 + "ValueError: phone 13812345678\n"
    out = masked(event="x", exception=trace)
    assert out["exception"].endswith("ValueError: phone 138****5678\n")
    assert len(out["exception"]) < MAX_TRACE_CHARS + 40 and "\n" in out["exception"]
