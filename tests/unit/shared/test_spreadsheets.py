"""Export cells: text a spreadsheet can hold (no control characters) and will not run."""

from __future__ import annotations

from datetime import date

from ops_shared.spreadsheets import cell, safe_row


def test_formulas_become_text_and_unstorable_characters_are_dropped() -> None:
    assert cell("=1+1") == "'=1+1"
    assert [cell(v) for v in ("+86 138", "-3 分", "@SUM(A1)", "\tx")] == [
        "'+86 138", "'-3 分", "'@SUM(A1)", "'\tx"]
    assert cell("鞋\x01码\x1f偏大\n") == "鞋码偏大\n"
    assert cell("\x00=cmd") == "'=cmd"  # what is left after dropping is judged


def test_numbers_dates_and_plain_text_pass_unchanged() -> None:
    assert safe_row([-3, 1.5, None, date(2026, 12, 1), "张三", "a=b"]) == [
        -3, 1.5, None, date(2026, 12, 1), "张三", "a=b"]


def test_a_signed_amount_written_as_text_stays_a_number() -> None:
    assert [cell(v) for v in ("-30.00", "+5", "-0.5")] == ["-30.00", "+5", "-0.5"]
    assert [cell(v) for v in ("-30.00+1", "-1e3", "--1")] == ["'-30.00+1", "'-1e3", "'--1"]
