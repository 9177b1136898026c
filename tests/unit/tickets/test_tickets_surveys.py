"""T5 opinion dispatch deadlines and T14 survey summaries."""

from datetime import timedelta

import pytest

from tickets.domain.errors import ValidationFailed
from tickets.domain.surveys import OpinionDispatch, SurveyResponse, summarise


def _response(sh, agent, score, opinion=""):
    return SurveyResponse(
        round_id="r-2026-11",
        customer_id="c-1",
        agent_id=agent,
        score=score,
        at=sh(2026, 11, 20),
        opinion=opinion,
    )


def test_t5_dispatch_in_2_working_days_measures_in_3_callback_2_weeks_after_fix(calendar, sh):
    dispatch = OpinionDispatch.plan("logistics", ["快递太慢"], sh(2026, 9, 29, 15), calendar)
    assert dispatch.dispatch_due == sh(2026, 10, 8, 15)  # Wed 30 Sep, then Thu 8 Oct
    assert dispatch.overdue(sh(2026, 10, 8, 16)) == ["dispatch"]
    dispatch.dispatch(sh(2026, 10, 8, 10), calendar)
    assert dispatch.measures_due == sh(2026, 10, 13, 10)  # Fri 9, Mon 12, Tue 13
    dispatch.return_measures(sh(2026, 10, 12, 17), "更换快递合作方")
    dispatch.mark_fixed(sh(2026, 10, 20, 9), calendar)
    assert dispatch.callback_due == sh(2026, 10, 20, 9) + timedelta(weeks=2)
    assert dispatch.overdue(sh(2026, 10, 30)) == []


def test_t5_measures_cannot_come_back_before_dispatch(calendar, sh):
    dispatch = OpinionDispatch.plan("logistics", ["快递太慢"], sh(2026, 11, 26, 9), calendar)
    with pytest.raises(ValidationFailed):
        dispatch.return_measures(sh(2026, 11, 26, 10), "更换快递")


def test_t14_summary_counts_averages_and_groups_opinions(sh):
    responses = [
        _response(sh, "agent-1", 5, "客服态度很好"),
        _response(sh, "agent-1", 4, "快递太慢了"),
        _response(sh, "agent-2", 2, "鞋子开胶，质量差"),
        _response(sh, "agent-2", 3),
        _response(sh, None, 1, "包装一般"),
    ]
    departments = {"快递": "logistics", "质量": "quality", "开胶": "quality", "客服": "service"}
    summary = summarise(responses, departments)
    assert (summary.count, summary.average) == (5, 3.0)
    assert summary.per_agent == {"agent-1": 4.5, "agent-2": 2.5}
    assert summary.opinions == {
        "service": ["客服态度很好"],
        "logistics": ["快递太慢了"],
        "quality": ["鞋子开胶，质量差"],
        "unclassified": ["包装一般"],
    }


def test_t14_empty_round_has_no_average():
    assert summarise([]).average is None


def test_t14_score_outside_1_to_5_is_refused(sh):
    with pytest.raises(ValidationFailed):
        _response(sh, "agent-1", 6)
