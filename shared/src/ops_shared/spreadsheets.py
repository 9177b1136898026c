"""Cells of the CSV and XLSX exports (payroll, returns report): text a spreadsheet can hold and
will not run.

- Control characters other than tab, newline and carriage return cannot be stored in an XLSX
  cell (openpyxl refuses the whole file): they are dropped.
- Text starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula
  by a spreadsheet app (CSV/formula injection, e.g. `=HYPERLINK(...)` in a name or a reason
  typed by anyone): it is prefixed with `'`, which shows the text as typed. A plain signed
  number written as text (an amount such as `-30.00`) is a number to a spreadsheet, not a
  formula, and stays as it is.
Numbers, dates and None pass unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]{1,30}(?:\.[0-9]{1,30})?")


def cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = UNSTORABLE.sub("", value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [cell(value) for value in values]
