"""Routes: what staff do to a ticket (T2-T8, T10-T12, L1). Each only translates HTTP ↔ command."""

from __future__ import annotations

from fastapi import APIRouter

from ops_shared.web import IDEMPOTENT
from tickets.api.deps import (
    PROBLEM_RESPONSES,
    AgentActor,
    DepsDep,
    DomainRoute,
    ManagerActor,
    SupervisorActor,
    TicketNumber,
)
from tickets.api.schemas import ticket_actions as s
from tickets.api.schemas.tickets import HandoverRead, TicketRead
from tickets.application import (
    classification,
    ticket_handover,
    ticket_outcomes,
    ticket_resolution,
    ticket_work,
)
from tickets.application.context import Actor
from tickets.application.deps import Deps
from tickets.application.ticket_queries import with_customer
from tickets.domain.events import ReturnItem
from tickets.domain.ticket import Ticket

router = APIRouter(route_class=DomainRoute, responses=PROBLEM_RESPONSES)


async def _view(deps: Deps, actor: Actor, ticket: Ticket) -> TicketRead:
    return TicketRead.embedded(await with_customer(deps, actor, ticket))


@router.post("/{number}/responses",
             dependencies=[IDEMPOTENT], summary="Answer the customer (first answer: T2)")
async def respond(number: TicketNumber, body: s.RespondRequest, deps: DepsDep,
                  actor: AgentActor) -> TicketRead:
    """Any agent. Answers the customer. The first answer moves the ticket to `open` (from new, or an
    escalated/transferred ticket never answered) and meets the T2 first-response target
    (tickets.sla.breached if it was missed and not yet reported); later answers only go on the
    timeline (T8). 409: ticket closed or merged; 404: unknown ticket."""
    ticket = await ticket_work.respond(deps, actor, number, body.message)
    return await _view(deps, actor, ticket)


@router.post("/{number}/wait-for-customer", summary="Park the ticket until the customer replies")
async def wait_for_customer(number: TicketNumber, body: s.WaitForCustomerRequest, deps: DepsDep,
                            actor: AgentActor) -> TicketRead:
    """Any agent. Parks the ticket with a note: open, escalated or transferred → `pending_customer`.
    Publishes nothing. 409 (current_state, allowed): from new (answer first), pending_customer,
    rectified, awaiting_callback or a terminal state; 404: unknown ticket."""
    ticket = await ticket_work.wait_for_customer(deps, actor, number, body.note)
    return await _view(deps, actor, ticket)


@router.post("/{number}/customer-replies", summary="Record the customer's reply")
async def customer_reply(number: TicketNumber, body: s.CustomerReplyRequest, deps: DepsDep,
                         actor: AgentActor) -> TicketRead:
    """Any agent. Records the customer's reply; the ticket moves to `open` from pending_customer,
    escalated, transferred, rectified or awaiting_callback, and the timeline names who recorded it.
    Publishes nothing. 409 (current_state, allowed): from new, open or a terminal state; 404."""
    ticket = await ticket_work.record_customer_reply(deps, actor, number, body.message)
    return await _view(deps, actor, ticket)


@router.post("/{number}/escalations", summary="Escalate: supervisor, then manager (T7)")
async def escalate(number: TicketNumber, body: s.EscalateRequest, deps: DepsDep,
                   actor: AgentActor) -> HandoverRead:
    """Any agent. T7: escalates to the next level, `supervisor` first, then `manager`, with a new
    owner, a reason and a deadline after now; → `escalated`, the owner takes the open SLA targets.
    Returns the customer notice (generated from the deadline if omitted; kept on the timeline).
    The owner is a supervisor or manager (a manager at the second level) the staff directory
    knows, never the caller (T15). Publishes nothing. 403: not the next level, or the caller named
    as owner; 409: from rectified, awaiting_callback or terminal states; 422 `deadline`: not in
    the future; 422 `to_staff_id`: unknown to the directory, inactive, or the wrong role; 404."""
    handover = ticket_handover.Handover(body.reason, body.deadline, body.customer_notice)
    ticket, notice = await ticket_handover.escalate(deps, actor, number, body.to_level,
                                                    body.to_staff_id, handover)
    return HandoverRead(ticket=await _view(deps, actor, ticket), customer_notice=notice)


@router.post("/{number}/transfers", summary="Transfer to a responsible department (T7)")
async def transfer(number: TicketNumber, body: s.TransferRequest, deps: DepsDep,
                   actor: AgentActor) -> HandoverRead:
    """Any agent. T7: hands the ticket to a responsible department with a new owner, a reason and a
    deadline after now; → `transferred`, the owner takes the open SLA targets. Returns the customer
    notice (generated if omitted; kept on the timeline). The owner is someone the staff directory
    knows; an agent may not name itself as owner of a ticket someone else holds (T15: a
    supervisor's decision). Publishes nothing. 403: an agent taking another's ticket; 409: from
    rectified, awaiting_callback or terminal states; 422 `deadline`: not in the future; 422
    `owner_id`: unknown to the directory or inactive; 404."""
    handover = ticket_handover.Handover(body.reason, body.deadline, body.customer_notice)
    ticket, notice = await ticket_handover.transfer(deps, actor, number, body.department,
                                                    body.owner_id, handover)
    return HandoverRead(ticket=await _view(deps, actor, ticket), customer_notice=notice)


@router.post("/{number}/reassign", summary="Give the ticket to another agent (supervisor)")
async def reassign(number: TicketNumber, body: s.ReassignRequest, deps: DepsDep,
                   actor: SupervisorActor) -> TicketRead:
    """Supervisor or manager. Gives the ticket to another staff member without changing its state;
    its open SLA targets follow the new owner and the reason goes on the timeline. The new owner
    is someone the staff directory knows whose role works tickets (presales, aftersales,
    supervisor, manager); their duty is not checked. Publishes nothing. 422 `to_staff_id`: unknown
    to the directory, inactive, or another role; 409: ticket closed or merged; 404."""
    ticket = await ticket_handover.reassign(deps, actor, number, body.to_staff_id, body.reason)
    return await _view(deps, actor, ticket)


@router.post("/{number}/rectification", summary="The problem is fixed; callback clock starts")
async def rectify(number: TicketNumber, body: s.RectifyRequest, deps: DepsDep,
                  actor: AgentActor) -> TicketRead:
    """Any agent. T3/T6: the problem is fixed (or the special service done). Complaints, special
    services and survey tickets → `awaiting_callback` and the T4 callback clock starts; other
    kinds → `rectified`. Meets the T3 target (tickets.sla.breached if late); a special service
    starts its T6 payment-notice clock. 409: from new (answer first), rectified,
    awaiting_callback, terminal."""
    ticket = await ticket_resolution.rectify(deps, actor, number, body.note)
    return await _view(deps, actor, ticket)


@router.post("/{number}/payment-notice", summary="A special service's payment notice went out (T6)")
async def payment_notice(number: TicketNumber, deps: DepsDep,
                         actor: AgentActor) -> TicketRead:
    """Any agent. T6: records that a special service's payment notice went to the customer and meets
    its target (started at rectification; tickets.sla.breached if late). The state does not
    change. 409: the ticket is closed or merged; 422: not a special_service ticket; 404: unknown
    ticket."""
    ticket = await ticket_resolution.send_payment_notice(deps, actor, number)
    return await _view(deps, actor, ticket)


@router.post("/{number}/callbacks",
             dependencies=[IDEMPOTENT], summary="Record a callback; confirmed, it closes (T4)")
async def callback(number: TicketNumber, body: s.CallbackRequest, deps: DepsDep,
                   actor: AgentActor) -> TicketRead:
    """Any agent. T4: records a callback after rectification (question, satisfaction 1–5, optional
    customer confirmation). A confirmed one meets the callback target, closes the ticket and
    publishes tickets.callback.completed; an unconfirmed one is only recorded. 422: not rectified
    yet or a bad confirmation; 409: ticket closed or merged; 404: unknown ticket."""
    confirmation = body.confirmation
    data = ticket_resolution.CallbackInput(
        body.question, body.satisfaction, confirmation.kind if confirmation else None,
        confirmation.value if confirmation else None)
    ticket = await ticket_resolution.record_callback(deps, actor, number, data)
    return await _view(deps, actor, ticket)


@router.post("/{number}/close", summary="Close; refused without a confirmed callback (T4)")
async def close(number: TicketNumber, deps: DepsDep, actor: AgentActor) -> TicketRead:
    """Any agent. → `closed` from open, pending_customer, escalated, transferred, rectified or
    awaiting_callback. T4: a complaint, special-service or survey ticket closes only after a
    customer-confirmed callback (409 callback-required, with current_state and allowed).
    Publishes nothing. 409 transition-refused: from new or a terminal state; 404."""
    ticket = await ticket_resolution.close(deps, actor, number)
    return await _view(deps, actor, ticket)


@router.post("/{number}/links", summary="Link another ticket; both record it (T8)")
async def link(number: TicketNumber, body: s.LinkRequest, deps: DepsDep,
               actor: AgentActor) -> TicketRead:
    """Any agent. T8: links two tickets; both timelines record it and linking twice is a no-op. The
    states are not checked. Publishes nothing. 422 `other_number`: the ticket itself; 404: either
    ticket unknown."""
    ticket = await ticket_work.link_tickets(deps, actor, number, body.other_number)
    return await _view(deps, actor, ticket)


@router.post("/{number}/merge", summary="Merge this duplicate into another ticket (T8)")
async def merge(number: TicketNumber, body: s.MergeRequest, deps: DepsDep,
                actor: AgentActor) -> TicketRead:
    """Any agent. T8: merges this duplicate into `into_number`: this ticket → `merged` (terminal);
    the other records the merge and links back; both keep their history. Publishes nothing. 409:
    this ticket rectified, awaiting_callback or terminal, or the other closed/merged; 422
    `into_number`: itself; 404: either ticket unknown."""
    ticket = await ticket_work.merge_ticket(deps, actor, number, body.into_number)
    return await _view(deps, actor, ticket)


@router.post("/{number}/return-requests",
             dependencies=[IDEMPOTENT], summary="Ask logistics for a return or exchange (L1)")
async def request_return(number: TicketNumber, body: s.ReturnRequest, deps: DepsDep,
                         actor: AgentActor) -> TicketRead:
    """Any agent. L1: asks logistics to open a return or exchange for an aftersales or complaint
    ticket (order, items, reason, quality claim; an exchange also `wanted_replacement`; each item
    may carry `unit_paid_fen`, the amount paid per unit, published as is and left out when
    omitted); publishes tickets.return.requested, the state is unchanged. 422: another ticket
    kind, a missing field or an amount out of bounds; 409: ticket closed or merged; 404."""
    data = ticket_outcomes.ReturnInput(
        kind=body.kind, order_id=body.order_id, reason=body.reason,
        items=[ReturnItem(sku=i.sku, quantity=i.quantity, unit_paid_fen=i.unit_paid_fen)
               for i in body.items],
        quality_claim=body.quality_claim, wanted_replacement=body.wanted_replacement)
    ticket = await ticket_outcomes.request_return(deps, actor, number, data)
    return await _view(deps, actor, ticket)


@router.post("/{number}/staff-complaint-verification",
             summary="Verify a complaint about a staff member's service (T12, supervisor)")
async def verify_complaint(number: TicketNumber, body: s.VerifyComplaintRequest, deps: DepsDep,
                           actor: SupervisorActor) -> TicketRead:
    """Supervisor or manager. T12: verifies, with a note, a complaint about `staff_id`'s service;
    publishes tickets.complaint.verified (HR takes 3 points, H17). An unclassified complaint becomes
    `staff_service` about that member; the state is neither checked nor changed. 422: not a
    complaint, another `subject` or `staff_id` on it, or already verified for that member; 404."""
    ticket = await ticket_outcomes.verify_staff_complaint(deps, actor, number, body.staff_id,
                                                          body.note)
    return await _view(deps, actor, ticket)


@router.post("/{number}/suggestion-adoption", summary="Adopt a staff suggestion (T11, manager)")
async def adopt_suggestion(number: TicketNumber, body: s.AdoptSuggestionRequest, deps: DepsDep,
                           actor: ManagerActor) -> TicketRead:
    """Manager only. T11: adopts a suggestion and awards its author 3–20 points (H18); publishes
    tickets.suggestion.adopted. Once per ticket; the state is neither checked nor changed.
    422: not a suggestion, points out of range, or already adopted; 404."""
    ticket = await ticket_outcomes.adopt_suggestion(deps, actor, number,
                                                    body.author_staff_id, body.points)
    return await _view(deps, actor, ticket)


@router.post("/{number}/classification",
             summary="Classify or summarise a suggestion or complaint (T11, T12; assignee or "
                     "supervisor)")
async def classify(number: TicketNumber, body: s.ClassifyRequest, deps: DepsDep,
                   actor: AgentActor) -> TicketRead:
    """The ticket's assignee or a supervisor/manager (403 for other agents). T11/T12: sets or clears
    a suggestion's `category` (from the manager's list), a complaint's `subject` and `staff_id`, or
    the `summary` (≤500 chars), in any state; the timeline says who. Publishes nothing. 422 names
    the field: wrong kind, unknown category, or a verified complaint's subject/staff member; 404."""
    ticket = await classification.classify_ticket(deps, actor, number, body.changes())
    return await _view(deps, actor, ticket)


@router.post("/{number}/articles-used", summary="Record the knowledge-base article used (T10)")
async def article_used(number: TicketNumber, body: s.UseArticleRequest, deps: DepsDep,
                       actor: AgentActor) -> TicketRead:
    """Any agent. T10: records that the ticket used this version of a knowledge-base article (once
    per version), in any state. Publishes nothing. 422 `article_id`: no such article; 422
    `version`: the article has no such version; 404: unknown ticket."""
    ticket = await ticket_work.use_article(deps, actor, number, body.article_id, body.version)
    return await _view(deps, actor, ticket)
