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
from enum import StrEnum

from tickets.domain.errors import NotAllowed, ValidationFailed
from tickets.domain.model import SUPERVISORS, ComplaintSubject, Kind

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
        names one (which `checked_classification` then refuses).
        """
        if unknown := sorted(set(changes) - {f.name for f in fields(self)}):
            raise ValidationFailed(f"cannot classify by {', '.join(unknown)}", field=unknown[0])
        merged = replace(self, **changes)  # type: ignore[arg-type]
        if "subject" in changes and "staff_id" not in changes and merged.subject != _STAFF:
            merged = replace(merged, staff_id=None)
        return merged


def checked_classification(kind: Kind, wanted: Classification, current: Classification,
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


def require_classifier(actor_id: str, actor_role: str, assignee_id: str | None) -> None:
    """T11/T12: the ticket's assignee or a supervisor classifies it, at any state."""
    if actor_id != assignee_id and actor_role not in SUPERVISORS:
        raise NotAllowed("only the ticket's assignee or a supervisor classifies it")


def keep_verified(current: Classification, wanted: Classification,
                  verified_staff_ids: Collection[str]) -> None:
    """T12: a verified staff complaint keeps its subject and staff member.

    The points were taken on that basis.
    """
    moved = (wanted.subject, wanted.staff_id) != (current.subject, current.staff_id)
    if verified_staff_ids and moved:
        raise ValidationFailed("a verified complaint keeps its subject and staff member (T12)",
                               field="subject")


def about_staff(current: Classification, staff_id: str) -> Classification:
    """T12: only a complaint about `staff_id`'s service is verified against them.

    A complaint nobody classified yet is classified by the verification itself (subject
    `staff_service`, the verified staff id): the supervisor's finding is the classification.
    One classified otherwise, or about someone else, is refused.
    """
    if current.subject not in (None, _STAFF):
        raise ValidationFailed(f"this complaint is about {current.subject}, not a staff "
                               "member's service: reclassify it first (T12)", field="subject")
    if current.staff_id not in (None, staff_id):
        raise ValidationFailed(f"this complaint is about {current.staff_id}, not {staff_id}",
                               field="staff_id")
    return replace(current, subject=_STAFF, staff_id=staff_id)


def changed_fields(current: Classification, new: Classification) -> dict[str, str | None]:
    """The fields `new` changes, as plain values (a timeline line's details, T8)."""
    changed = {f.name: getattr(new, f.name) for f in fields(new)
               if getattr(new, f.name) != getattr(current, f.name)}
    return {k: v.value if isinstance(v, StrEnum) else v for k, v in changed.items()}


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
