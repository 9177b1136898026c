"""Routes: policies a manager edits at run time (SLA targets, assignment, customer tiers,
suggestion categories)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from tickets.api.deps import PROBLEM_RESPONSES, AgentActor, DomainRoute, ManagerActor, RuntimeDep
from tickets.api.schemas import CategoryName
from tickets.api.schemas_classification import CategoryIn, CategoryView
from tickets.api.schemas_customers import TierIn, TierName, TierView
from tickets.api.schemas_policies import (
    AssignmentPolicyIn,
    AssignmentPolicyView,
    PolicyName,
    SlaPolicyIn,
    SlaPolicyView,
)
from tickets.application import policies

router = APIRouter(tags=["policies"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
NamePath = Annotated[PolicyName, Path(description="Policy name, e.g. rectify_major.")]
TierPath = Annotated[TierName, Path(description="Tier name, e.g. key.")]
CategoryPath = Annotated[CategoryName, Path(description="Category name, e.g. website.")]


@router.get("/sla-policies", summary="List the SLA policies (T2-T6, T9)")
async def list_sla_policies(runtime: RuntimeDep, _: AgentActor) -> list[SlaPolicyView]:
    return [SlaPolicyView.of(p) for p in await policies.list_sla_policies(runtime)]


@router.get("/sla-policies/{name}", summary="Read one SLA policy")
async def get_sla_policy(name: NamePath, runtime: RuntimeDep, _: AgentActor) -> SlaPolicyView:
    return SlaPolicyView.of(await policies.get_sla_policy(runtime, name))


@router.put("/sla-policies/{name}", summary="Add or change an SLA policy (manager)")
async def put_sla_policy(name: NamePath, body: SlaPolicyIn, runtime: RuntimeDep,
                         actor: ManagerActor) -> SlaPolicyView:
    return SlaPolicyView.of(await policies.put_sla_policy(runtime, actor, body.policy(name)))


@router.delete("/sla-policies/{name}", status_code=204, summary="Remove an SLA policy (manager)")
async def delete_sla_policy(name: NamePath, runtime: RuntimeDep, _: ManagerActor) -> None:
    await policies.delete_sla_policy(runtime, name)


@router.get("/assignment-policy", summary="How new tickets are assigned")
async def get_assignment_policy(runtime: RuntimeDep, _: AgentActor) -> AssignmentPolicyView:
    return AssignmentPolicyView(**await policies.get_assignment_policy(runtime))


@router.put("/assignment-policy", summary="Choose round robin or least loaded (manager)")
async def put_assignment_policy(body: AssignmentPolicyIn, runtime: RuntimeDep,
                                actor: ManagerActor) -> AssignmentPolicyView:
    return AssignmentPolicyView(
        **await policies.put_assignment_policy(runtime, actor, body.strategy))


@router.get("/customer-tiers", summary="The customer tiers (T9)")
async def list_tiers(runtime: RuntimeDep, _: AgentActor) -> list[TierView]:
    return [TierView.of(doc) for doc in await policies.list_tiers(runtime)]


@router.put("/customer-tiers/{name}", summary="Add or change a customer tier (manager)")
async def put_tier(name: TierPath, body: TierIn, runtime: RuntimeDep,
                   actor: ManagerActor) -> TierView:
    return TierView.of(await policies.put_tier(runtime, actor, name, body.description,
                                               body.boost_priority))


@router.delete("/customer-tiers/{name}", status_code=204, summary="Remove a tier (manager)")
async def delete_tier(name: TierPath, runtime: RuntimeDep, _: ManagerActor) -> None:
    await policies.delete_tier(runtime, name)


@router.get("/suggestion-categories", summary="The suggestion categories (T11)")
async def list_categories(runtime: RuntimeDep, _: AgentActor) -> list[CategoryView]:
    return [CategoryView.of(doc) for doc in await policies.list_suggestion_categories(runtime)]


@router.put("/suggestion-categories/{name}",
            summary="Add or describe a suggestion category (T11, manager)")
async def put_category(name: CategoryPath, body: CategoryIn, runtime: RuntimeDep,
                       actor: ManagerActor) -> CategoryView:
    return CategoryView.of(
        await policies.put_suggestion_category(runtime, actor, name, body.description))


@router.delete("/suggestion-categories/{name}", status_code=204,
               summary="Remove a suggestion category; tickets keep theirs (manager)")
async def delete_category(name: CategoryPath, runtime: RuntimeDep, _: ManagerActor) -> None:
    await policies.delete_suggestion_category(runtime, name)
