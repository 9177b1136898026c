"""Routes: what staff do to a ticket (T2-T8, T10-T12, L1). Each only translates HTTP ↔ command."""

from __future__ import annotations

from fastapi import APIRouter

from ops_shared.service import Runtime
from tickets.api import schemas as s
from tickets.api.deps import (
    PROBLEM_RESPONSES,
    AgentActor,
    DomainRoute,
    ManagerActor,
    RuntimeDep,
    SupervisorActor,
    TicketNumber,
)
from tickets.api.schemas_classification import ClassificationIn
from tickets.api.schemas_views import HandoverView, TicketView
from tickets.application import (
    classification,
    ticket_handover,
    ticket_outcomes,
    ticket_resolution,
    ticket_work,
)
from tickets.application.context import Actor
from tickets.application.ticket_queries import with_customer
from tickets.domain.events import ReturnItem
from tickets.domain.ticket import Ticket

router = APIRouter(route_class=DomainRoute, responses=PROBLEM_RESPONSES)


async def _view(runtime: Runtime, actor: Actor, ticket: Ticket) -> TicketView:
    return TicketView.embedded(await with_customer(runtime, actor, ticket))


@router.post("/{number}/responses", summary="Answer the customer (first answer: T2)")
async def respond(number: TicketNumber, body: s.MessageIn, runtime: RuntimeDep,
                  actor: AgentActor) -> TicketView:
    ticket = await ticket_work.respond(runtime, actor, number, body.message)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/wait-for-customer", summary="Park the ticket until the customer replies")
async def wait_for_customer(number: TicketNumber, body: s.NoteIn, runtime: RuntimeDep,
                            actor: AgentActor) -> TicketView:
    ticket = await ticket_work.wait_for_customer(runtime, actor, number, body.note)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/customer-replies", summary="Record the customer's reply")
async def customer_reply(number: TicketNumber, body: s.MessageIn, runtime: RuntimeDep,
                         actor: AgentActor) -> TicketView:
    ticket = await ticket_work.record_customer_reply(runtime, actor, number, body.message)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/escalations", summary="Escalate: supervisor, then manager (T7)")
async def escalate(number: TicketNumber, body: s.EscalationIn, runtime: RuntimeDep,
                   actor: AgentActor) -> HandoverView:
    handover = ticket_handover.Handover(body.reason, body.deadline, body.customer_notice)
    ticket, notice = await ticket_handover.escalate(runtime, actor, number, body.to_level,
                                                    body.to_staff_id, handover)
    return HandoverView(ticket=await _view(runtime, actor, ticket), customer_notice=notice)


@router.post("/{number}/transfers", summary="Transfer to a responsible department (T7)")
async def transfer(number: TicketNumber, body: s.TransferIn, runtime: RuntimeDep,
                   actor: AgentActor) -> HandoverView:
    handover = ticket_handover.Handover(body.reason, body.deadline, body.customer_notice)
    ticket, notice = await ticket_handover.transfer(runtime, actor, number, body.department,
                                                    body.owner_id, handover)
    return HandoverView(ticket=await _view(runtime, actor, ticket), customer_notice=notice)


@router.post("/{number}/reassign", summary="Give the ticket to another agent (supervisor)")
async def reassign(number: TicketNumber, body: s.ReassignIn, runtime: RuntimeDep,
                   actor: SupervisorActor) -> TicketView:
    ticket = await ticket_handover.reassign(runtime, actor, number, body.to_staff_id, body.reason)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/rectification", summary="The problem is fixed; callback clock starts")
async def rectify(number: TicketNumber, body: s.NoteIn, runtime: RuntimeDep,
                  actor: AgentActor) -> TicketView:
    ticket = await ticket_resolution.rectify(runtime, actor, number, body.note)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/payment-notice", summary="A special service's payment notice went out (T6)")
async def payment_notice(number: TicketNumber, runtime: RuntimeDep,
                         actor: AgentActor) -> TicketView:
    ticket = await ticket_resolution.send_payment_notice(runtime, actor, number)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/callbacks", summary="Record a callback; confirmed, it closes (T4)")
async def callback(number: TicketNumber, body: s.TicketCallbackIn, runtime: RuntimeDep,
                   actor: AgentActor) -> TicketView:
    confirmation = body.confirmation
    data = ticket_resolution.CallbackInput(
        body.question, body.satisfaction, confirmation.kind if confirmation else None,
        confirmation.value if confirmation else None)
    ticket = await ticket_resolution.record_callback(runtime, actor, number, data)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/close", summary="Close; refused without a confirmed callback (T4)")
async def close(number: TicketNumber, runtime: RuntimeDep, actor: AgentActor) -> TicketView:
    ticket = await ticket_resolution.close(runtime, actor, number)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/links", summary="Link another ticket; both record it (T8)")
async def link(number: TicketNumber, body: s.LinkIn, runtime: RuntimeDep,
               actor: AgentActor) -> TicketView:
    ticket = await ticket_work.link_tickets(runtime, actor, number, body.other_number)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/merge", summary="Merge this duplicate into another ticket (T8)")
async def merge(number: TicketNumber, body: s.MergeIn, runtime: RuntimeDep,
                actor: AgentActor) -> TicketView:
    ticket = await ticket_work.merge_ticket(runtime, actor, number, body.into_number)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/return-requests", summary="Ask logistics for a return or exchange (L1)")
async def request_return(number: TicketNumber, body: s.ReturnRequestIn, runtime: RuntimeDep,
                         actor: AgentActor) -> TicketView:
    data = ticket_outcomes.ReturnInput(
        kind=body.kind, order_id=body.order_id, reason=body.reason,
        items=[ReturnItem(sku=i.sku, quantity=i.quantity) for i in body.items],
        quality_claim=body.quality_claim, wanted_replacement=body.wanted_replacement)
    ticket = await ticket_outcomes.request_return(runtime, actor, number, data)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/staff-complaint-verification",
             summary="Verify a complaint about a staff member's service (T12, supervisor)")
async def verify_complaint(number: TicketNumber, body: s.VerificationIn, runtime: RuntimeDep,
                           actor: SupervisorActor) -> TicketView:
    ticket = await ticket_outcomes.verify_staff_complaint(runtime, actor, number, body.staff_id,
                                                          body.note)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/suggestion-adoption", summary="Adopt a staff suggestion (T11, manager)")
async def adopt_suggestion(number: TicketNumber, body: s.AdoptionIn, runtime: RuntimeDep,
                           actor: ManagerActor) -> TicketView:
    ticket = await ticket_outcomes.adopt_suggestion(runtime, actor, number,
                                                    body.author_staff_id, body.points)
    return await _view(runtime, actor, ticket)


@router.post("/{number}/classification",
             summary="Classify or summarise a suggestion or complaint (T11, T12; assignee or "
                     "supervisor)")
async def classify(number: TicketNumber, body: ClassificationIn, runtime: RuntimeDep,
                   actor: AgentActor) -> TicketView:
    ticket = await classification.classify_ticket(runtime, actor, number, body.changes())
    return await _view(runtime, actor, ticket)


@router.post("/{number}/articles-used", summary="Record the knowledge-base article used (T10)")
async def article_used(number: TicketNumber, body: s.ArticleUsedIn, runtime: RuntimeDep,
                       actor: AgentActor) -> TicketView:
    ticket = await ticket_work.use_article(runtime, actor, number, body.article_id, body.version)
    return await _view(runtime, actor, ticket)
