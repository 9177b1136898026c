"""Customer contact data (T15 applied to logistics): shown in full only to the roles that contact
the customer (after-sales, supervisors, the manager); masked for the warehouse, the order desk and
pre-sales; never written to logs (use cases log numbers and ids only)."""

from __future__ import annotations

from logistics.domain.model import Role

SEES_CONTACT = frozenset({Role.AFTERSALES, Role.SUPERVISOR, Role.MANAGER})


def sees_contact(role: str) -> bool:
    return role in SEES_CONTACT


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678; shorter numbers keep only their last 4 digits."""
    if len(phone) >= 11:
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * max(0, len(phone) - 4) + phone[-4:] if len(phone) > 4 else "*" * len(phone)


def mask_name(name: str) -> str:
    """张三丰 → 张**."""
    return name[:1] + "*" * (len(name) - 1)


def mask_address(address: str) -> str:
    keep = min(6, len(address) // 2)
    return f"{address[:keep]}****" if address else ""


def mask_ref(ref: str) -> str:
    """A platform id or customer reference: tb_zhang123 → tb****23."""
    if len(ref) <= 4:
        return f"{ref[:1]}***" if ref else ""
    return f"{ref[:2]}****{ref[-2:]}"
