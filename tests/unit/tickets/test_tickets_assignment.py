"""Assignment of new tickets: team by kind, round robin or least loaded."""

from tickets.domain.assignment import AgentLoad, choose_assignee, role_for_kind
from tickets.domain.model import Kind, Role

AGENTS = [AgentLoad("a-3", 1), AgentLoad("a-1", 4), AgentLoad("a-2", 1)]


def test_t1_round_robin_rotates_after_the_last_assigned_in_staff_id_order():
    assert choose_assignee(AGENTS, "round_robin", None) == "a-1"
    assert choose_assignee(AGENTS, "round_robin", "a-1") == "a-2"
    assert choose_assignee(AGENTS, "round_robin", "a-3") == "a-1"
    assert choose_assignee(AGENTS, "round_robin", "a-0-gone") == "a-1"


def test_t1_least_loaded_breaks_ties_by_staff_id():
    assert choose_assignee(AGENTS, "least_loaded") == "a-2"


def test_t1_nobody_available_gives_none():
    assert choose_assignee([], "least_loaded") is None


def test_t1_consultation_to_presales_everything_else_to_aftersales():
    assert role_for_kind(Kind.CONSULTATION) is Role.PRESALES
    assert {role_for_kind(k) for k in Kind if k is not Kind.CONSULTATION} == {Role.AFTERSALES}
