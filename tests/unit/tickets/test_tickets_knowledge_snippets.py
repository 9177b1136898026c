"""T10: search snippets and ranking as the search use case applies them."""

from __future__ import annotations

from tickets.domain.knowledge import SNIPPET_CHARS, Article, rank, snippet, tokenize

POSTAGE = Article(id="kb-1", title="退货运费谁承担",
                  body="质量问题由本店承担来回运费；非质量问题退货由顾客承担退回运费。")
SHIPPING = Article(id="kb-2", title="发货时间", body="下午四点前付款且有库存的订单当天发货。")


def test_t10_snippet_centres_on_the_longest_matching_term() -> None:
    long_body = "说明" * 40 + "退回运费由顾客承担" + "结束" * 40
    article = Article(id="kb-3", title="运费", body=long_body)
    text = snippet(article, tokenize("退回 运费"))
    assert "退回运费" in text and text.startswith("…") and text.endswith("…")
    assert len(text) <= SNIPPET_CHARS + 2


def test_t10_snippet_of_a_title_only_match_is_the_body_start() -> None:
    assert snippet(SHIPPING, tokenize("时间")) == SHIPPING.body


def test_t10_query_terms_rank_return_postage_over_shipping_time() -> None:
    ranked = rank("退货 运费", [POSTAGE.tokens(), SHIPPING.tokens()])
    assert ranked[0][0] == "kb-1"
