"""Every service refuses the tokens of staff that hr's events say are gone or whose session
moved on, learnt from `hr.staff.changed` on the real broker (issue 7, item 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi import APIRouter

from ops_shared.contracts import new_envelope
from ops_shared.contracts.gateway import SessionRevoked
from ops_shared.contracts.hr import StaffChanged
from ops_shared.service import create_service_app
from ops_shared.web import STAFF_SESSIONS, CurrentStaff
from support.effects import EFFECTS, HandlerFailed, definition
from support.harness import running
from support.ticketing import send
from support.wait import eventually

pytestmark = pytest.mark.integration
router = APIRouter()


@router.get("/test/me")
async def me(staff: CurrentStaff) -> dict:
    return {"staff_id": staff.staff_id}


def staff(staff_id: str, *, active: bool = True, session_version: int | None = None,
          at: datetime | None = None):
    return new_envelope(StaffChanged(staff_id=staff_id, display_name="某某", role="aftersales",
                                     active=active, session_version=session_version),
                        occurred_at=at or datetime.now(UTC))


async def _status(http, keys, staff_id: str, **claims) -> int:
    token = keys.token(staff_id, "aftersales", **claims)
    answer = await http.get("/test/me", headers={"Authorization": f"Bearer {token}"})
    return answer.status_code if answer.status_code == 200 else answer.json()["type"].rsplit(
        "/", 1)[-1]


@pytest.fixture(scope="module")
async def service(isolation):
    settings = isolation.settings("sessions", staff_session_cache_s=0.2)
    app = create_service_app(settings, definition(settings, {}, routers=[router]))
    async with running(app) as http:
        yield http, app, settings


async def _applied(app, envelope) -> bool:
    return await app.state.runtime.database.db["inbox"].count_documents({"_id": envelope.id}) == 1


async def test_a_deactivated_person_is_refused_by_the_service_itself(service, keys,
                                                                     amqp_url) -> None:
    http, app, settings = service
    assert await _status(http, keys, "st-leaver") == 200  # never heard of: signature alone
    await send(amqp_url, settings.exchange, staff("st-leaver"))
    await eventually(lambda: _session_known(app, "st-leaver"), timeout=20)
    assert await _status(http, keys, "st-leaver") == 200

    await send(amqp_url, settings.exchange, staff("st-leaver", active=False))
    assert await eventually(lambda: _refused_as(http, keys, "st-leaver", "account-inactive"),
                            timeout=20)


async def test_a_token_of_an_ended_session_is_refused(service, keys, amqp_url) -> None:
    http, app, settings = service
    await send(amqp_url, settings.exchange, staff("st-moved", session_version=2))
    await eventually(lambda: _session_known(app, "st-moved"), timeout=20)
    await eventually(lambda: _refused_as(http, keys, "st-moved", "token-revoked", sv=1),
                     timeout=5)
    assert await _status(http, keys, "st-moved") == "token-revoked"  # no claim counts as 0
    assert await _status(http, keys, "st-moved", sv=2) == 200
    assert await _status(http, keys, "st-moved", sv=3) == 200  # issued before the event came
    assert await _status(http, keys, "st-moved", sv="2") == "invalid-token"


async def test_late_older_events_neither_reactivate_nor_lower_the_version(service, keys,
                                                                           amqp_url) -> None:
    http, app, settings = service
    now = datetime.now(UTC)
    left = staff("st-late", active=False, session_version=5, at=now)
    older = staff("st-late", active=True, session_version=4, at=now - timedelta(hours=1))
    await send(amqp_url, settings.exchange, left)
    await eventually(lambda: _applied(app, left), timeout=20)
    await send(amqp_url, settings.exchange, older)
    await eventually(lambda: _applied(app, older), timeout=20)
    doc = await app.state.runtime.database.db[STAFF_SESSIONS].find_one({"_id": "st-late"})
    assert doc["active"] is False and doc["session_version"] == 5
    assert await eventually(lambda: _refused_as(http, keys, "st-late", "account-inactive",
                                                sv=5), timeout=5)


async def test_the_gateway_revoking_a_session_raises_the_version_only(service, keys,
                                                                     amqp_url) -> None:
    """`gateway.session.revoked` raises the version; an older one, or hr's event without a
    version, never lowers it, and hr's later deactivation still applies."""
    http, app, settings = service

    def revoked(version: int):
        return new_envelope(SessionRevoked(staff_id="st-reset", session_version=version,
                                           reason="password_reset",
                                           revoked_at=datetime.now(UTC)))

    newer, older = revoked(3), revoked(2)
    for envelope in (newer, older):
        await send(amqp_url, settings.exchange, envelope)
        await eventually(lambda envelope=envelope: _applied(app, envelope), timeout=20)
    assert await eventually(lambda: _refused_as(http, keys, "st-reset", "token-revoked", sv=2),
                            timeout=5)
    assert await _status(http, keys, "st-reset", sv=3) == 200

    left = staff("st-reset", active=False)
    await send(amqp_url, settings.exchange, left)
    await eventually(lambda: _applied(app, left), timeout=20)
    doc = await app.state.runtime.database.db[STAFF_SESSIONS].find_one({"_id": "st-reset"})
    assert doc["active"] is False and doc["session_version"] == 3


async def test_a_signed_out_session_is_refused_while_the_others_keep_working(
        service, keys, amqp_url) -> None:
    """`gateway.session.revoked` naming one session (`session_id`) refuses the tokens of that
    sign-in (`sid`) only; the version is unchanged, so every other session keeps working,
    and a later revocation of another session keeps the first one refused."""
    http, app, settings = service

    def signed_out(session_id: str):
        return new_envelope(SessionRevoked(
            staff_id="st-two-devices", session_version=1, reason="signed_out",
            revoked_at=datetime.now(UTC), session_id=session_id,
            session_expires_at=datetime.now(UTC) + timedelta(hours=8)))

    assert await _status(http, keys, "st-two-devices", sv=1, sid="desk") == 200
    first = signed_out("desk")
    await send(amqp_url, settings.exchange, first)
    await eventually(lambda: _applied(app, first), timeout=20)
    assert await eventually(lambda: _refused_as(http, keys, "st-two-devices", "token-revoked",
                                                sv=1, sid="desk"), timeout=5)
    assert await _status(http, keys, "st-two-devices", sv=1, sid="phone") == 200
    assert await _status(http, keys, "st-two-devices", sv=1) == 200  # from before session ids

    second = signed_out("phone")
    await send(amqp_url, settings.exchange, second)
    await eventually(lambda: _applied(app, second), timeout=20)
    assert await eventually(lambda: _refused_as(http, keys, "st-two-devices", "token-revoked",
                                                sv=1, sid="phone"), timeout=5)
    assert await _status(http, keys, "st-two-devices", sv=1, sid="desk") == "token-revoked"
    assert await _status(http, keys, "st-two-devices", sv=1, sid="tablet") == 200


async def test_a_service_handler_of_staff_changed_shares_the_transaction(isolation, keys,
                                                                         amqp_url) -> None:
    """The service's own handler and the foundation's run in one transaction: when the
    service's fails, the session change is rolled back with it (and retried with it)."""
    calls: list[str] = []

    async def own(event, envelope, uow) -> None:
        calls.append(event.staff_id)
        if event.staff_id == "st-fails":
            raise HandlerFailed("the service's handler refused")
        await uow.db[EFFECTS].insert_one({"_id": event.staff_id}, session=uow.session)

    settings = isolation.settings("sessions2", staff_session_cache_s=0)
    app = create_service_app(settings, definition(
        settings, {StaffChanged.event_type: own}, routers=[router]))
    async with running(app) as http:
        db = app.state.runtime.database.db
        await send(amqp_url, settings.exchange, staff("st-both", active=False))
        await eventually(lambda: _session_known(app, "st-both"), timeout=20)
        assert await db[EFFECTS].count_documents({"_id": "st-both"}) == 1
        assert await _status(http, keys, "st-both") == "account-inactive"

        await send(amqp_url, settings.exchange, staff("st-fails", active=False))
        await eventually(lambda: db["dead_letters"].count_documents({}), timeout=20)
        assert calls.count("st-fails") >= len(settings.retry_delays_ms) + 1
        assert await db[STAFF_SESSIONS].count_documents({"_id": "st-fails"}) == 0
        assert await _status(http, keys, "st-fails") == 200


async def _session_known(app, staff_id: str) -> bool:
    db = app.state.runtime.database.db
    return await db[STAFF_SESSIONS].count_documents({"_id": staff_id}) == 1


async def _refused_as(http, keys, staff_id: str, slug: str, **claims) -> bool:
    return await _status(http, keys, staff_id, **claims) == slug
