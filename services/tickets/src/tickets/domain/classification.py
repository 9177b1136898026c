"""Classifying suggestions and complaints (T11, T12): category, subject, staff member, summary.

A suggestion carries a `category` from the manager's list (data, not code: see
`DEFAULT_SUGGESTION_CATEGORIES`); a complaint carries a `subject` and, when it is about a staff
member's service, that member's `staff_id`. Both kinds carry a short `summary` an agent writes.
They are set when the ticket is opened and changed later by its assignee or a supervisor; every
change is a timeline line (T8) naming who and when.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum

from tickets.domain import events as ev
from tickets.domain.errors import NotAllowed, ValidationFailed
from tickets.domain.model import SUPERVISORS, ComplaintSubject, Kind
from tickets.domain.record import TicketRecord

SUMMARY_MAX_CHARS = 500
_SUMMARISED = frozenset({Kind.SUGGESTION, Kind.COMPLAINT})
_STAFF = ComplaintSubject.STAFF_SERVICE


@dataclass(frozen=True, kw_only=True)
class Classification:
    """What a suggestion or complaint is about; None means not set."""

    category: str | None = None
    subject: ComplaintSubject | None = None
    staff_id: str | None = None
    summary: str | None = None

    def updated(self, changes: Mapping[str, str | None]) -> Classification:
        """These values with `changes` applied (a null clears a field).

        Moving a complaint away from `staff_service` drops its staff id, unless the change
        names one (which `checked` then refuses).
        """
        if unknown := sorted(set(changes) - {f.name for f in fields(self)}):
            raise ValidationFailed(f"cannot classify by {', '.join(unknown)}", field=unknown[0])
        merged = replace(self, **changes)  # type: ignore[arg-type]
        if "subject" in changes and "staff_id" not in changes and merged.subject != _STAFF:
            merged = replace(merged, staff_id=None)
        return merged


def checked(kind: Kind, wanted: Classification, current: Classification,
            categories: Collection[str]) -> Classification:
    """`wanted`, normalised, or ValidationFailed naming the field at fault.

    A category must be one of `categories` when it changes: a category the manager has since
    removed stays on the tickets that already carry it.
    """
    category = _text(wanted.category)
    if category is not None:
        if kind is not Kind.SUGGESTION:
            raise ValidationFailed("only suggestions have a category (T11)", field="category")
        if category != current.category and category not in categories:
            raise ValidationFailed(f"unknown suggestion category {category!r}", field="category")
    subject = _subject(wanted.subject)
    if subject is not None and kind is not Kind.COMPLAINT:
        raise ValidationFailed("only complaints have a subject (T12)", field="subject")
    staff_id = _text(wanted.staff_id)
    if staff_id is not None and subject is not _STAFF:
        raise ValidationFailed("staff_id is for complaints about staff_service (T12)",
                               field="staff_id")
    summary = _text(wanted.summary)
    if summary is not None and kind not in _SUMMARISED:
        raise ValidationFailed("only suggestions and complaints have a summary", field="summary")
    if summary is not None and len(summary) > SUMMARY_MAX_CHARS:
        raise ValidationFailed(f"a summary has at most {SUMMARY_MAX_CHARS} characters",
                               field="summary")
    return Classification(category=category, subject=subject, staff_id=staff_id, summary=summary)


class TicketClassification(TicketRecord):
    """Ticket actions that classify and summarise (T11, T12)."""

    @property
    def classification(self) -> Classification:
        return Classification(category=self.category, subject=self.subject,
                              staff_id=self.staff_id, summary=self.summary)

    def classify(self, actor_id: str, actor_role: str, at: datetime,
                 changes: Mapping[str, str | None], categories: Collection[str]) -> list[ev.Event]:
        """Change the classification or summary: the assignee or a supervisor, at any state.

        A verified staff complaint (T12) keeps its subject and staff member: the points were
        taken on that basis.
        """
        if actor_id != self.assignee_id and actor_role not in SUPERVISORS:
            raise NotAllowed("only the ticket's assignee or a supervisor classifies it")
        current = self.classification
        wanted = current.updated(changes)
        moved = (wanted.subject, wanted.staff_id) != (current.subject, current.staff_id)
        if self.verified_staff_ids and moved:
            raise ValidationFailed("a verified complaint keeps its subject and staff member (T12)",
                                   field="subject")
        self._reclassify(actor_id, at, wanted, categories)
        return []

    def _complaint_about(self, actor_id: str, at: datetime, staff_id: str) -> None:
        """T12: only a complaint about `staff_id`'s service is verified against them.

        A complaint nobody classified yet is classified by the verification itself (subject
        `staff_service`, the verified staff id): the supervisor's finding is the classification.
        One classified otherwise, or about someone else, is refused.
        """
        if self.subject not in (None, _STAFF):
            raise ValidationFailed(f"this complaint is about {self.subject}, not a staff "
                                   "member's service: reclassify it first (T12)", field="subject")
        if self.staff_id not in (None, staff_id):
            raise ValidationFailed(f"this complaint is about {self.staff_id}, not {staff_id}",
                                   field="staff_id")
        self._reclassify(actor_id, at, replace(self.classification, subject=_STAFF,
                                               staff_id=staff_id), ())

    def _reclassify(self, actor_id: str | None, at: datetime, wanted: Classification,
                    categories: Collection[str]) -> None:
        current = self.classification
        new = checked(self.kind, wanted, current, categories)
        changed = {f.name: getattr(new, f.name) for f in fields(new)
                   if getattr(new, f.name) != getattr(current, f.name)}
        if not changed:
            return
        self.category, self.subject, self.staff_id = new.category, new.subject, new.staff_id
        if "summary" in changed:
            self.summary, self.summary_by, self.summary_at = new.summary, actor_id, at
        self._log(at, actor_id, "classified",
                  **{k: v.value if isinstance(v, StrEnum) else v for k, v in changed.items()})


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _subject(value: str | None) -> ComplaintSubject | None:
    if not value:
        return None
    try:
        return ComplaintSubject(value)
    except ValueError:
        allowed = ", ".join(s.value for s in ComplaintSubject)
        raise ValidationFailed(f"subject must be one of {allowed}", field="subject") from None
