"""T14 per-agent report figures and CSV."""

from tickets.domain.callbacks import Callback, Confirmation
from tickets.domain.model import Period
from tickets.domain.reports import agent_report, to_csv
from tickets.domain.surveys import SurveyResponse


def test_t14_agent_report_figures(open_ticket, clock, sh):
    on_time = open_ticket(id="t-1", number="TK-20261126-0001", kind="complaint", grade="major")
    on_time.respond("agent-1", sh(2026, 11, 26, 10, 2), "收到", clock)
    on_time.mark_rectified("agent-1", sh(2026, 11, 26, 17), "已退款", clock)
    on_time.record_callback(
        Callback(
            question="满意吗",
            satisfaction=4,
            at=sh(2026, 11, 27, 10),
            by="agent-1",
            confirmation=Confirmation("verbal_consent", "rec-1"),
        ),
        clock,
    )
    late = open_ticket(id="t-2", number="TK-20261126-0002", kind="complaint", grade="major")
    late.respond("agent-1", sh(2026, 11, 26, 10, 10), "收到", clock)
    late.check_sla(sh(2026, 11, 27, 11))  # rectification breached, still open
    other = open_ticket(id="t-3", number="TK-20261126-0003", assignee_id="agent-2")
    outside = open_ticket(id="t-4", number="TK-20261201-0001", at=sh(2026, 12, 1, 10))
    responses = [
        SurveyResponse(
            round_id="r", customer_id="c", agent_id="agent-1", score=2, at=sh(2026, 11, 28)
        ),
        SurveyResponse(
            round_id="r", customer_id="c", agent_id="agent-1", score=5, at=sh(2026, 12, 2)
        ),
    ]
    period = Period(sh(2026, 11, 1), sh(2026, 12, 1))

    rows = agent_report([on_time, late, other, outside], responses, period)

    first, second = rows
    assert first.agent_id == "agent-1" and first.tickets_handled == 2
    assert first.first_response_hit_rate == 0.5
    assert first.resolution_sla_hit_rate == 0.5
    assert first.resolution_rate == 0.5
    assert (first.average_satisfaction, first.satisfaction_count) == (3.0, 2)
    assert second.agent_id == "agent-2" and second.first_response_hit_rate is None
    csv_text = to_csv(rows)
    assert csv_text.splitlines()[0].startswith("agent_id,tickets_handled,first_response_hit_rate")
    assert csv_text.splitlines()[1] == "agent-1,2,0.5,0.5,0.5,3.0,2"
    assert csv_text.splitlines()[2] == "agent-2,1,,,0.0,,0"
