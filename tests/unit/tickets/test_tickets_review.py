"""T13 the supervisor's daily review list."""

from tickets.domain.review import DisputeItem, daily_review


def test_t13_daily_review_groups_refunds_and_overdue_disputes_by_owner(sh):
    now = sh(2026, 11, 26, 9)
    items = [
        DisputeItem(
            order_id="O-1",
            kind="refund_in_progress",
            owner_id="as-2",
            next_action_at=sh(2026, 11, 28),
        ),
        DisputeItem(
            order_id="O-2", kind="dispute", owner_id="as-1", next_action_at=sh(2026, 11, 25)
        ),
        DisputeItem(
            order_id="O-3", kind="dispute", owner_id="as-1", next_action_at=sh(2026, 11, 27)
        ),
        DisputeItem(
            order_id="O-4",
            kind="refund_in_progress",
            owner_id="as-1",
            next_action_at=sh(2026, 11, 24),
        ),
        DisputeItem(
            order_id="O-5",
            kind="dispute",
            owner_id="as-2",
            next_action_at=sh(2026, 11, 20),
            resolved=True,
        ),
    ]

    review = daily_review(items, now)

    assert list(review) == ["as-1", "as-2"]
    assert [i.order_id for i in review["as-1"]] == ["O-4", "O-2"]
    assert [i.order_id for i in review["as-2"]] == ["O-1"]
