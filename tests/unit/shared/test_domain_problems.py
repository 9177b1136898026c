"""The domain refusals every service shares leave as the same problem bodies, whichever service
raises them; a service's own wording of TransitionRefused keeps its detail and its members."""

from __future__ import annotations

from hr.api import deps as hr_api
from hr.domain import errors as hr
from logistics.api import deps as logistics_api
from logistics.domain import errors as logistics
from ops_shared.domain import Conflict, DomainError, NotAllowed, NotFound, ValidationFailed
from ops_shared.web import PROBLEM_BASE, domain_problem
from tickets.api import deps as tickets_api
from tickets.domain import errors as tickets


def _body(exc) -> dict:
    return domain_problem(exc).body()


def test_services_raise_the_shared_refusals_so_one_mapping_serves_them_all() -> None:
    for service in (tickets, logistics, hr):
        assert service.NotFound is NotFound
        assert service.Conflict is Conflict
        assert service.ValidationFailed is ValidationFailed
        assert service.NotAllowed is NotAllowed


def test_common_refusals_map_to_their_status_slug_and_members() -> None:
    assert _body(NotFound("no ticket TK-1")) == {
        "type": PROBLEM_BASE + "not-found", "title": "Not found", "status": 404,
        "detail": "no ticket TK-1"}
    assert _body(NotAllowed("presales may not")) == {
        "type": PROBLEM_BASE + "forbidden", "title": "Not allowed", "status": 403,
        "detail": "presales may not"}
    assert _body(Conflict("changed meanwhile")) == {
        "type": PROBLEM_BASE + "conflict", "title": "Conflict", "status": 409,
        "detail": "changed meanwhile"}
    assert _body(Conflict("an RMA exists", existing="RMA-20261120-0007"))["existing"] == (
        "RMA-20261120-0007")
    assert _body(ValidationFailed("too long", field="description")) == {
        "type": PROBLEM_BASE + "validation-failed", "title": "Rule violated", "status": 422,
        "detail": "too long", "field": "description",
        "errors": [{"field": "description", "in": "body", "reason": "too long"}]}
    assert "field" not in _body(ValidationFailed("inconsistent"))
    assert domain_problem(ValidationFailed("x"), invalid_title="Invalid input").title == (
        "Invalid input")


def test_a_transition_refusal_names_the_target_only_when_the_service_has_one() -> None:
    ticket = _body(tickets.TransitionRefused("closed", "in_progress", []))
    assert ticket["status"] == 409
    assert ticket["type"] == PROBLEM_BASE + "transition-refused"
    assert ticket["detail"] == (
        "cannot go from closed to in_progress; allowed: none (terminal state)")
    assert (ticket["current_state"], ticket["target"], ticket["allowed"]) == (
        "closed", "in_progress", [])
    rma = _body(logistics.TransitionRefused("RMA", "requested", "refunded", ["approved"]))
    assert rma["detail"] == "RMA is requested: cannot go to refunded; allowed next: approved"
    assert (rma["current_state"], rma["target"], rma["allowed"]) == (
        "requested", "refunded", ["approved"])
    request = _body(hr.TransitionRefused("approved", "approve", ["cancel"]))
    assert request["detail"] == "cannot approve a request that is approved; allowed: cancel"
    assert "target" not in request
    assert (request["current_state"], request["allowed"]) == ("approved", ["cancel"])


def test_a_refusal_no_mapping_knows_takes_its_code_as_the_slug() -> None:
    class Unforeseen(DomainError):
        code = "unforeseen_case"

    assert _body(Unforeseen("no")) == {
        "type": PROBLEM_BASE + "unforeseen-case", "title": "Refused", "status": 422,
        "detail": "no"}


def test_each_service_maps_its_own_refusals_before_the_shared_ones() -> None:
    callback = tickets_api.problem_for(
        tickets.CallbackRequired("needs a callback", current="resolved", allowed=["closed"]))
    assert (callback.status, callback.slug, callback.extra) == (
        409, "callback-required", {"current_state": "resolved", "allowed": ["closed"]})
    refused = logistics_api.problem_for(
        logistics.Refused("replacement_before_receipt", "not received", current="approved"))
    assert (refused.status, refused.slug, refused.extra) == (
        409, "replacement-before-receipt", {"current_state": "approved"})
    rule = hr_api.problem_for(hr.RuleRefused("H11", "not_direct_supervisor", "only ..."))
    assert (rule.status, rule.slug, rule.extra) == (
        409, "rule-refused", {"rule": "H11", "reason": "not_direct_supervisor"})
    assert hr_api.problem_for(hr.ValidationFailed("x")).title == "Invalid input"
    assert tickets_api.problem_for(tickets.ValidationFailed("x")).title == "Rule violated"
    assert logistics_api.problem_for(logistics.NotFound("x")).status == 404
