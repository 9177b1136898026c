"""An hr service on in-memory fakes, with a customer-service team and December's roster
published: a1/p1 start on the early shift, a2/p2 on the late one, rotating every 5 days."""

from __future__ import annotations

import pytest

from hr.application import rosters, staff
from hr.domain.staff import Actor
from unit.hr.fakes import FakeHr, at
from unit.hr.fakes import staff as person

ADMIN = Actor("hr1", "hr_admin")
SUPERVISOR = Actor("sup1", "supervisor")
MANAGER = Actor("mgr", "manager")


def actor(staff_id: str, role: str = "aftersales") -> Actor:
    return Actor(staff_id, role)


@pytest.fixture
async def hr() -> FakeHr:
    hr = FakeHr(now=at(1, 8, 0))
    await staff.hire(hr.deps, MANAGER, person("mgr", "manager", team="mgmt", supervisor_id=None))
    await staff.hire(hr.deps, ADMIN, person("sup1", "supervisor", supervisor_id="mgr"))
    for staff_id, role in (("a1", "aftersales"), ("a2", "aftersales"), ("p1", "presales"),
                           ("p2", "presales")):
        await staff.hire(hr.deps, ADMIN, person(staff_id, role))
    await rosters.generate(hr.deps, SUPERVISOR, "2026-12", "cs")
    await rosters.publish(hr.deps, SUPERVISOR, "2026-12:cs")
    hr.published.clear()
    return hr
