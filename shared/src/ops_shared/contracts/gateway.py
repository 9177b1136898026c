"""Events published by the gateway, which alone knows staff sessions (issue 7, item 5)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from ops_shared.contracts.envelope import Event

RevokeReason = Literal["password_changed", "password_reset", "role_changed", "team_changed",
                       "deactivated", "signed_out"]


class SessionRevoked(Event):
    """A staff member's tokens issued before `session_version` must stop working everywhere;
    with `session_id`, only the tokens of that one session (one sign-in) must."""

    event_type = "gateway.session.revoked"
    producer = "gateway"

    staff_id: str = Field(min_length=1, max_length=64)
    session_version: int = Field(ge=0, description=(
        "The staff member's new session version: every service refuses a token whose `sv` "
        "claim is lower. It only ever grows."))
    reason: RevokeReason
    revoked_at: AwareDatetime
    session_id: str | None = Field(None, min_length=1, max_length=64, description=(
        "Set when one session alone was signed out: every service refuses a token whose "
        "`sid` claim is this id; other sessions keep working. Added in version 1 "
        "(optional: older producers leave it out)."))
    session_expires_at: AwareDatetime | None = Field(None, description=(
        "With `session_id`: when the last token of that session expires, after which a "
        "service may forget the id."))


CONTRACTS: tuple[type[Event], ...] = (SessionRevoked,)
