"""The manager's returns report, and its CSV and XLSX files."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from logistics.application.deps import Deps
from logistics.domain.report import Period, ReturnsReport, build_report, rows
from ops_shared.spreadsheets import safe_row


async def returns_report(deps: Deps, period: Period) -> ReturnsReport:
    rmas = await deps.reads.rmas.opened_between(period)
    refunds = await deps.reads.refunds.issued_between(period)
    return build_report(period, rmas, refunds)


def as_csv(report: ReturnsReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["period_start", report.period.start.isoformat(),
                     "period_end", report.period.end.isoformat()])
    writer.writerows(safe_row(row) for row in rows(report))
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet apps read Chinese


def as_xlsx(report: ReturnsReport) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "returns"
    sheet.append(["period_start", report.period.start.isoformat(),
                  "period_end", report.period.end.isoformat()])
    for row in rows(report):
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
