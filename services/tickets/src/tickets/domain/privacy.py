"""T15: customer personal data is shown in full only to the ticket's agent and supervisors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tickets.domain.model import SUPERVISORS


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678; shorter numbers keep only their last 4 digits."""
    if len(phone) >= 11:
        return f"{phone[:3]}****{phone[-4:]}"
    if len(phone) > 4:
        return "*" * (len(phone) - 4) + phone[-4:]
    return "*" * len(phone)


def mask_address(address: str) -> str:
    """Keep the region prefix (at most 6 characters, half the text), hide the rest."""
    keep = min(6, len(address) // 2)
    return f"{address[:keep]}****" if address else ""


def mask_platform_id(platform_id: str) -> str:
    """tb_zhang123 → tb****23."""
    if len(platform_id) <= 4:
        return f"{platform_id[:1]}***" if platform_id else ""
    return f"{platform_id[:2]}****{platform_id[-2:]}"


def mask_name(name: str) -> str:
    """张三丰 → 张**: only the first character stays."""
    return name[:1] + "*" * (len(name) - 1)


def mask_email(email: str) -> str:
    """zhang.san@example.com → z***@example.com."""
    local, at, domain = email.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else mask_name(email)


MASKERS: Mapping[str, Callable[[str], str]] = {
    "phone": mask_phone,
    "mobile": mask_phone,
    "contact": mask_phone,
    "address": mask_address,
    "email": mask_email,
    "platform_id": mask_platform_id,
    "platform_ids": mask_platform_id,
    "name": mask_name,
}


def can_see_personal_data(viewer_id: str, viewer_role: str, ticket_assignee_id: str | None) -> bool:
    """The ticket's assignee, supervisors and managers see full data; everyone else sees masks."""
    return viewer_role in SUPERVISORS or (
        ticket_assignee_id is not None and viewer_id == ticket_assignee_id
    )


def mask_customer(customer: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of customer with every personal field (strings or lists of strings) masked."""
    masked = dict(customer)
    for key, masker in MASKERS.items():
        value = masked.get(key)
        if isinstance(value, str):
            masked[key] = masker(value)
        elif isinstance(value, list | tuple):
            masked[key] = [masker(v) if isinstance(v, str) else v for v in value]
    return masked


def customer_view(
    customer: Mapping[str, Any], viewer_id: str, viewer_role: str, ticket_assignee_id: str | None
) -> dict[str, Any]:
    """The customer as this viewer may see it (T15)."""
    if can_see_personal_data(viewer_id, viewer_role, ticket_assignee_id):
        return dict(customer)
    return mask_customer(customer)
