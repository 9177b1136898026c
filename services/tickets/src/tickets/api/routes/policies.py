"""Routes: policies a manager edits at run time (SLA targets, assignment, customer tiers,
suggestion categories)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from tickets.api.deps import PROBLEM_RESPONSES, AgentActor, DepsDep, DomainRoute, ManagerActor
from tickets.api.schemas.common import CategoryName
from tickets.api.schemas.customers import TierName
from tickets.api.schemas.policies import (
    AssignmentPolicyRead,
    AssignmentPolicyUpdate,
    CustomerTierRead,
    CustomerTierUpdate,
    PolicyName,
    SlaPolicyRead,
    SlaPolicyUpdate,
    SuggestionCategoryRead,
    SuggestionCategoryUpdate,
)
from tickets.application import policies

router = APIRouter(tags=["policies"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
NamePath = Annotated[PolicyName, Path(description="Policy name, e.g. rectify_major.")]
TierPath = Annotated[TierName, Path(description="Tier name, e.g. key.")]
CategoryPath = Annotated[CategoryName, Path(description="Category name, e.g. website.")]


@router.get("/sla-policies", summary="List the SLA policies (T2-T6, T9)")
async def list_sla_policies(deps: DepsDep, _: AgentActor) -> list[SlaPolicyRead]:
    """Any agent. T2–T6, T9: the stored SLA policies (metric, amount, unit, what they apply to)
    that ticket and survey clocks use; a manager edits them at run time."""
    return [SlaPolicyRead.of(p) for p in await policies.list_sla_policies(deps)]


@router.get("/sla-policies/{name}", summary="Read one SLA policy")
async def get_sla_policy(name: NamePath, deps: DepsDep, _: AgentActor) -> SlaPolicyRead:
    """Any agent. One SLA policy by name (T2–T6, T9).
    404: unknown policy."""
    return SlaPolicyRead.of(await policies.get_sla_policy(deps, name))


@router.put("/sla-policies/{name}", summary="Add or change an SLA policy (manager)")
async def put_sla_policy(name: NamePath, body: SlaPolicyUpdate, deps: DepsDep,
                         actor: ManagerActor) -> SlaPolicyRead:
    """Manager only. T2–T6, T9: adds or replaces the named policy; clocks started from now on use
    it, running targets keep their due time. 422 `amount`: more working days than the calendar
    covers."""
    return SlaPolicyRead.of(await policies.put_sla_policy(deps, actor, body.policy(name)))


@router.delete("/sla-policies/{name}", status_code=204, summary="Remove an SLA policy (manager)")
async def delete_sla_policy(name: NamePath, deps: DepsDep, _: ManagerActor) -> None:
    """Manager only. Removes an SLA policy; clocks started from now on no longer use it, running
    targets keep their due time. 404: unknown policy. 409: a default policy (only changed)."""
    await policies.delete_sla_policy(deps, name)


@router.get("/assignment-policy", summary="How new tickets are assigned")
async def get_assignment_policy(deps: DepsDep, _: AgentActor) -> AssignmentPolicyRead:
    """Any agent. T1: how new tickets are given to on-duty agents of the right role:
    `round_robin` or `least_loaded`."""
    return AssignmentPolicyRead(**await policies.get_assignment_policy(deps))


@router.put("/assignment-policy", summary="Choose round robin or least loaded (manager)")
async def put_assignment_policy(body: AssignmentPolicyUpdate, deps: DepsDep,
                                actor: ManagerActor) -> AssignmentPolicyRead:
    """Manager only. T1: sets the assignment strategy (round robin or least loaded) for tickets
    opened from now on."""
    return AssignmentPolicyRead(
        **await policies.put_assignment_policy(deps, actor, body.strategy))


@router.get("/customer-tiers", summary="The customer tiers (T9)")
async def list_tiers(deps: DepsDep, _: AgentActor) -> list[CustomerTierRead]:
    """Any agent. T9: the customer tiers of the classification standard; a tier with
    `boost_priority` raises the priority of its customers' new tickets."""
    return [CustomerTierRead.of(doc) for doc in await policies.list_tiers(deps)]


@router.put("/customer-tiers/{name}", summary="Add or change a customer tier (manager)")
async def put_tier(name: TierPath, body: CustomerTierUpdate, deps: DepsDep,
                   actor: ManagerActor) -> CustomerTierRead:
    """Manager only. T9: adds a customer tier or changes its description and `boost_priority`;
    tickets opened from now on use it."""
    return CustomerTierRead.of(await policies.put_tier(deps, actor, name, body.description,
                                                       body.boost_priority))


@router.delete("/customer-tiers/{name}", status_code=204, summary="Remove a tier (manager)")
async def delete_tier(name: TierPath, deps: DepsDep, _: ManagerActor) -> None:
    """Manager only. T9: removes a tier; customers already in it keep the name.
    404: unknown tier. 409: the default tier `new` (only changed)."""
    await policies.delete_tier(deps, name)


@router.get("/suggestion-categories", summary="The suggestion categories (T11)")
async def list_categories(deps: DepsDep, _: AgentActor) -> list[SuggestionCategoryRead]:
    """Any agent. T11: the suggestion categories a suggestion may be classified under
    (data a manager maintains)."""
    found = await policies.list_suggestion_categories(deps)
    return [SuggestionCategoryRead.of(doc) for doc in found]


@router.put("/suggestion-categories/{name}",
            summary="Add or describe a suggestion category (T11, manager)")
async def put_category(name: CategoryPath, body: SuggestionCategoryUpdate, deps: DepsDep,
                       actor: ManagerActor) -> SuggestionCategoryRead:
    """Manager only. T11: adds a suggestion category or changes its description; classifications
    can use it at once."""
    return SuggestionCategoryRead.of(
        await policies.put_suggestion_category(deps, actor, name, body.description))


@router.delete("/suggestion-categories/{name}", status_code=204,
               summary="Remove a suggestion category; tickets keep theirs (manager)")
async def delete_category(name: CategoryPath, deps: DepsDep, _: ManagerActor) -> None:
    """Manager only. T11: new classifications can no longer use the category; tickets that carry it
    keep it. 404: unknown category."""
    await policies.delete_suggestion_category(deps, name)
