"""Agent work on a ticket: answers (T2), waiting for the customer, articles (T10), links (T8)."""

from __future__ import annotations

from tickets.application.context import Actor, change_ticket, change_two
from tickets.application.deps import Deps
from tickets.domain.errors import ValidationFailed
from tickets.domain.ports import TicketsUnitOfWork
from tickets.domain.ticket import Ticket


async def respond(deps: Deps, actor: Actor, number: str, message: str) -> Ticket:
    """Answer the customer; the first answer meets the first-response target (T2)."""
    return await change_ticket(
        deps, number, lambda t, clock, at: t.respond(actor.staff_id, at, message, clock))


async def wait_for_customer(deps: Deps, actor: Actor, number: str, note: str) -> Ticket:
    return await change_ticket(
        deps, number, lambda t, clock, at: t.wait_for_customer(actor.staff_id, at, note))


async def record_customer_reply(deps: Deps, actor: Actor, number: str,
                                message: str) -> Ticket:
    """The customer answered (recorded by the agent who received it)."""
    def action(ticket: Ticket, clock, at):
        events = ticket.customer_replied(at, message)
        ticket.note(at, actor.staff_id, "customer_reply_recorded")
        return events

    return await change_ticket(deps, number, action)


async def use_article(deps: Deps, actor: Actor, number: str, article_id: str,
                      version: int) -> Ticket:
    """T10: the ticket used this version of a knowledge-base article; both must exist."""
    async def published(uow: TicketsUnitOfWork) -> None:
        if await uow.articles.get(article_id) is None:
            raise ValidationFailed(f"article {article_id} does not exist", field="article_id")
        if await uow.articles.version(article_id, version) is None:
            raise ValidationFailed(f"article {article_id} has no version {version}",
                                   field="version")

    def action(ticket: Ticket, clock, at):
        ticket.use_article(actor.staff_id, at, article_id, version)
        return []

    return await change_ticket(deps, number, action, check=published)


async def link_tickets(deps: Deps, actor: Actor, number: str, other: str) -> Ticket:
    """T8: link two tickets; both record the link on their timelines."""
    if number == other:
        raise ValidationFailed("a ticket cannot be linked to itself", field="other_number")
    return await change_two(deps, number, other, lambda a, b, at: [
        *a.link(actor.staff_id, at, b.number), *b.link(actor.staff_id, at, a.number)])


async def merge_ticket(deps: Deps, actor: Actor, number: str, into: str) -> Ticket:
    """T8: merge a duplicate into another ticket; both keep their history."""
    if number == into:
        raise ValidationFailed("a ticket cannot be merged into itself", field="into_number")
    return await change_two(deps, number, into,
                            lambda dup, keep, at: dup.merge_into(keep, actor.staff_id, at))
