"""The manager's returns report: returns and exchanges by reason, by SKU and by quality verdict
over a period, refunds issued and postage paid by the shop. Quality returns by SKU are how the
shop finds a bad batch of shoes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from logistics.domain.errors import ValidationFailed
from logistics.domain.model import Refund
from logistics.domain.rma import Rma, RmaKind


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValidationFailed("the period ends before it starts", "end")


@dataclass
class Line:
    """One group of the report: how many RMAs, of which kind, with which quality verdict."""

    key: str
    returns: int = 0
    exchanges: int = 0
    quality_claims: int = 0
    quality_confirmed: int = 0
    units: int = 0


@dataclass
class ReturnsReport:
    period: Period
    by_reason: list[Line] = field(default_factory=list)
    by_sku: list[Line] = field(default_factory=list)
    by_verdict: dict[str, int] = field(default_factory=dict)
    refunds_count: int = 0
    refunds_fen: int = 0
    refunded_postage_fen: int = 0
    postage_paid_by_shop_fen: int = 0


def verdict_of(rma: Rma) -> str:
    if not rma.quality_claim:
        return "no_claim"
    return rma.decision.verdict.value if rma.decision else "undecided"


def build_report(period: Period, rmas: Iterable[Rma], refunds: Iterable[Refund]
                 ) -> ReturnsReport:
    """RMAs opened and refunds issued within the period."""
    reasons: dict[str, Line] = {}
    skus: dict[str, Line] = {}
    verdicts: Counter[str] = Counter()
    shop_postage = 0
    for rma in rmas:
        verdicts[verdict_of(rma)] += 1
        shop_postage += rma.postage.shop_pays_fen
        _count(reasons.setdefault(rma.card.reason, Line(rma.card.reason)), rma,
               sum(i.quantity for i in rma.items))
        for item in rma.items:
            _count(skus.setdefault(item.sku, Line(item.sku)), rma, item.quantity)
    report = ReturnsReport(period, postage_paid_by_shop_fen=shop_postage,
                           by_verdict={k: verdicts.get(k, 0) for k in
                                       ("confirmed", "rejected", "undecided", "no_claim")})
    report.by_reason = sorted(reasons.values(), key=lambda line: (-_total(line), line.key))
    report.by_sku = sorted(skus.values(),
                           key=lambda line: (-line.quality_confirmed, -_total(line), line.key))
    for refund in refunds:
        report.refunds_count += 1
        report.refunds_fen += refund.amount_fen
        report.refunded_postage_fen += refund.postage_fen
    return report


def rows(report: ReturnsReport) -> list[list[object]]:
    """The report as one table (CSV and XLSX): section, key, counts, fen."""
    header: list[object] = ["section", "key", "returns", "exchanges", "quality_claims",
                            "quality_confirmed", "units", "count", "fen"]
    out: list[list[object]] = [header]
    for section, lines in (("reason", report.by_reason), ("sku", report.by_sku)):
        out += [[section, line.key, line.returns, line.exchanges, line.quality_claims,
                 line.quality_confirmed, line.units, "", ""] for line in lines]
    out += [["verdict", k, "", "", "", "", "", v, ""] for k, v in report.by_verdict.items()]
    out += [["refunds", "issued", "", "", "", "", "", report.refunds_count, report.refunds_fen],
            ["refunds", "postage_refunded", "", "", "", "", "", "",
             report.refunded_postage_fen],
            ["postage", "paid_by_shop", "", "", "", "", "", "", report.postage_paid_by_shop_fen]]
    return out


def _count(line: Line, rma: Rma, units: int) -> None:
    if rma.kind == RmaKind.RETURN:
        line.returns += 1
    else:
        line.exchanges += 1
    line.quality_claims += rma.quality_claim
    line.quality_confirmed += rma.quality_confirmed
    line.units += units


def _total(line: Line) -> int:
    return line.returns + line.exchanges
