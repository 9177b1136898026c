"""The hr policy's shifts (H2) and rotation order, as the manager edits them.

One row per shift: code, Chinese name, the roles that work it, up to four periods (start–end,
Shanghai wall-clock time, as `HH:MM`), whether it is a late shift; a row can be marked for
removal and a blank row added. The rotation is one line per role: shift codes in order.
The form becomes the body `PATCH /api/hr/policy` takes (`shifts`, `rotation`); times are sent as
typed (only `9:00` is written `09:00:00`), so the API decides what a valid period is, and its
refusal (`shifts.0.periods.0.end`) is put back on the row the manager sees (rows marked for
removal and blank periods are not sent, so the API's indexes are mapped back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from console.api import Problem
from console.format import ROLE_NAMES

ROLES: tuple[tuple[str, str], ...] = tuple(
    (code, ROLE_NAMES[code]) for code in (
        "presales", "aftersales", "order_desk", "warehouse", "supervisor", "manager",
        "hr_admin"))
"""The roles the hr API accepts for a shift (its `Role`)."""
PERIODS = 4  # the hr API takes at most four periods per shift
MAX_SHIFTS = 20
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_SPLIT = re.compile(r"[\s,，、]+")


@dataclass
class ShiftRow:
    code: str = ""
    name: str = ""
    roles: set[str] = field(default_factory=set)
    periods: list[tuple[str, str]] = field(default_factory=list)
    late: bool = False
    remove: bool = False

    @property
    def blank(self) -> bool:
        """An added row left empty: not sent."""
        return not (self.code or self.name or self.roles or self.periods or self.late)

    def padded(self) -> list[tuple[str, str]]:
        """The periods and blank ones up to four (a blank one is not sent)."""
        return [*self.periods, *[("", "")] * (PERIODS - len(self.periods))][:PERIODS]


@dataclass
class ShiftEditor:
    rows: list[ShiftRow]
    rotation: dict[str, str]  # role -> shift codes in order, as the manager types them
    problem: Problem | None = None
    focus: int | None = None  # the row just added: its first field takes the focus

    @property
    def others(self) -> dict[str, str]:
        """The API's reasons for fields the form does not show one by one."""
        if self.problem is None:
            return {}
        shown = set(self._shown())
        return {k: v for k, v in self.problem.fields.items() if k not in shown}

    def _shown(self) -> list[str]:
        names = [f"rotation.{role}" for role in self.rotation]
        for i, _ in enumerate(self.rows):
            names += [f"shifts.{i}", *(f"shifts.{i}.{part}" for part in (
                "code", "name", "roles", "late", "periods"))]
            for j in range(PERIODS):
                names += [f"shifts.{i}.periods.{j}", f"shifts.{i}.periods.{j}.start",
                          f"shifts.{i}.periods.{j}.end"]
        return names


def _clock(value: Any) -> str:
    return str(value or "")[:5]


def editor_of(data: Any) -> ShiftEditor:
    """The editor filled from the policy the API answered."""
    data = data if isinstance(data, dict) else {}
    rows = [ShiftRow(code=str(s.get("code") or ""), name=str(s.get("name") or ""),
                     roles={str(r) for r in s.get("roles") or []},
                     periods=[(_clock(p.get("start")), _clock(p.get("end")))
                              for p in s.get("periods") or [] if isinstance(p, dict)],
                     late=bool(s.get("late")))
            for s in data.get("shifts") or [] if isinstance(s, dict)]
    rotation = {str(role): ", ".join(str(c) for c in codes or [])
                for role, codes in (data.get("rotation") or {}).items()}
    return ShiftEditor(rows, _with_roles(rotation))


def _with_roles(rotation: dict[str, str]) -> dict[str, str]:
    """One rotation line per role (empty: the role has no rotation, it is not sent)."""
    return {**{role: rotation.get(role, "") for role, _ in ROLES},
            **{k: v for k, v in rotation.items() if k not in dict(ROLES)}}


def editor_posted(form: dict[str, str], add: bool = False) -> ShiftEditor:
    """The editor as the manager posted it (with one blank row more when asked)."""
    try:
        count = min(int(form.get("shift_count", "0")), MAX_SHIFTS + 1)
    except ValueError:
        count = 0
    rows = []
    for i in range(max(count, 0)):
        key = f"shifts.{i}."
        periods = [(form.get(f"{key}periods.{j}.start", "").strip(),
                    form.get(f"{key}periods.{j}.end", "").strip()) for j in range(PERIODS)]
        while periods and periods[-1] == ("", ""):
            periods.pop()
        rows.append(ShiftRow(code=form.get(f"{key}code", "").strip(),
                             name=form.get(f"{key}name", "").strip(),
                             roles={code for code, _ in ROLES if form.get(f"{key}roles.{code}")},
                             periods=periods, late=bool(form.get(f"{key}late")),
                             remove=bool(form.get(f"{key}remove"))))
    focus = None
    if add and len(rows) < MAX_SHIFTS:
        focus = len(rows)
        rows.append(ShiftRow())
    rotation = {name.removeprefix("rotation."): value.strip() for name, value in form.items()
                if name.startswith("rotation.")}
    return ShiftEditor(rows, _with_roles(rotation), focus=focus)


def _time(raw: str) -> str:
    found = _CLOCK.match(raw)
    return f"{int(found.group(1)):02d}:{found.group(2)}:00" if found else raw


@dataclass(frozen=True)
class Sent:
    body: dict[str, Any]
    rows: dict[int, int]  # index in the body -> row of the form
    periods: dict[tuple[int, int], int]  # (row of the form, index in the body) -> period row


def body_of(editor: ShiftEditor) -> Sent:
    """The `PATCH /api/hr/policy` body: the kept shifts (not removed, not blank) and the
    rotation lines not empty."""
    shifts: list[dict[str, Any]] = []
    rows: dict[int, int] = {}
    periods: dict[tuple[int, int], int] = {}
    for i, row in enumerate(editor.rows):
        if row.remove or row.blank:
            continue
        sent = []
        for j, (start, end) in enumerate(row.periods):
            if start or end:
                periods[(i, len(sent))] = j
                period: dict[str, str] = {}
                if start:
                    period["start"] = _time(start)
                if end:
                    period["end"] = _time(end)
                sent.append(period)
        rows[len(shifts)] = i
        shifts.append({"code": row.code, "name": row.name,
                       "roles": [code for code, _ in ROLES if code in row.roles],
                       "periods": sent, "late": row.late})
    rotation = {role: [c for c in _SPLIT.split(line) if c]
                for role, line in editor.rotation.items() if line.strip()}
    return Sent({"shifts": shifts, "rotation": rotation}, rows, periods)


def on_rows(problem: Problem, sent: Sent) -> Problem:
    """The API's problem with its field names moved to the rows the manager sees."""
    fields: dict[str, str] = {}
    for name, reason in problem.fields.items():
        parts = name.split(".")
        if len(parts) >= 2 and parts[0] == "shifts" and parts[1].isdigit():
            row = sent.rows.get(int(parts[1]), int(parts[1]))
            parts[1] = str(row)
            if len(parts) >= 4 and parts[2] == "periods" and parts[3].isdigit():
                parts[3] = str(sent.periods.get((row, int(parts[3])), int(parts[3])))
            if len(parts) >= 4 and parts[2] == "roles":
                parts = parts[:3]
        elif len(parts) > 2 and parts[0] == "rotation":
            parts = parts[:2]
        key = ".".join(parts)
        fields[key] = f"{fields[key]}；{reason}" if key in fields else reason
    return replace(problem, fields=fields)
