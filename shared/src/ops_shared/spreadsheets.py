"""Cells of the CSV and XLSX exports (payroll, returns report): text a spreadsheet can hold and
will not run.

- Control characters other than tab, newline and carriage return cannot be stored in an XLSX
  cell (openpyxl refuses the whole file): they are dropped.
- Text starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula
  by a spreadsheet app (CSV/formula injection, e.g. `=HYPERLINK(...)` in a name or a reason
  typed by anyone): it is prefixed with `'`, which shows the text as typed.
Numbers, dates and None pass unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = UNSTORABLE.sub("", value)
    return "'" + text if text.startswith(FORMULA_START) else text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [cell(value) for value in values]
