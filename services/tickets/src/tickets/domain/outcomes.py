"""What a ticket hands to other services: return requests (L1), staff points (T11, T12)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from tickets.domain import checks
from tickets.domain import events as ev
from tickets.domain.classification import TicketClassification
from tickets.domain.errors import ValidationFailed
from tickets.domain.model import Kind, require_text


class TicketOutcomes(TicketClassification):
    """Ticket actions whose events feed logistics, HR points and the knowledge base."""

    def use_article(self, actor_id: str, at: datetime, article_id: str, version: int) -> None:
        """T10: remember which knowledge-base article (and version) helped."""
        ref = f"{require_text(article_id, 'article_id')}@v{version}"
        if ref not in self.articles:
            self._log(at, actor_id, "article_used", article=ref)
            self.articles.append(ref)

    def request_return(
        self,
        actor_id: str,
        at: datetime,
        kind: Literal["return", "exchange"],
        order_id: str,
        items: Sequence[ev.ReturnItem],
        reason: str,
        quality_claim: bool = False,
        wanted_replacement: str | None = None,
    ) -> list[ev.Event]:
        """L1: ask logistics to open a return or exchange for this after-sales ticket."""
        if self.kind not in (Kind.AFTERSALES, Kind.COMPLAINT):
            raise ValidationFailed("returns are requested from after-sales or complaint tickets")
        checks.return_request(kind, order_id, items, reason, wanted_replacement)
        self._require_live("request a return")
        self._log(at, actor_id, "return_requested", kind=kind, order_id=order_id)
        return [
            ev.ReturnRequested(
                ticket_number=self.number,
                at=at,
                kind=kind,
                order_id=order_id.strip(),
                customer_id=self.customer_id,
                items=tuple(items),
                reason=reason.strip(),
                quality_claim=quality_claim,
                wanted_replacement=wanted_replacement,
                requested_by=actor_id,
            )
        ]

    # --- staff outcomes (feed HR points) -------------------------------------------------------

    def verify_staff_complaint(
        self, actor_id: str, actor_role: str, at: datetime, staff_id: str, note: str
    ) -> list[ev.Event]:
        """T12: a supervisor or manager confirms a service complaint against staff_id (H17: -3).

        The complaint must be about that staff member's service: classified `staff_service`
        with this `staff_id`, or not classified yet, in which case the verification classifies
        it so (see `TicketClassification._complaint_about`). A complaint is about one staff
        member, so it is verified once.
        """
        if self.kind is not Kind.COMPLAINT:
            raise ValidationFailed("only complaints can be verified")
        staff_id, note = checks.verification(actor_role, staff_id, note, self.verified_staff_ids)
        self._complaint_about(actor_id, at, staff_id)
        self._log(at, actor_id, "complaint_verified", staff_id=staff_id, note=note)
        self.verified_staff_ids.append(staff_id)
        return [
            ev.ComplaintVerified(
                ticket_number=self.number, at=at, staff_id=staff_id, verified_by=actor_id, note=note
            )
        ]

    def adopt_suggestion(
        self, actor_id: str, actor_role: str, at: datetime, author_staff_id: str, points: int
    ) -> list[ev.Event]:
        """T11: the manager adopts a staff suggestion, awarding 3..20 points (H18)."""
        if self.kind is not Kind.SUGGESTION:
            raise ValidationFailed("only suggestions can be adopted")
        author = checks.adoption(actor_role, author_staff_id, points, self.adopted_points)
        self._log(at, actor_id, "suggestion_adopted", author_staff_id=author, points=points)
        self.adopted_points = points
        return [
            ev.SuggestionAdopted(
                ticket_number=self.number,
                at=at,
                author_staff_id=author,
                adopted_by=actor_id,
                points=points,
            )
        ]
