"""T10 knowledge-base search in Chinese and Latin text, versioned articles."""

from tickets.domain.knowledge import Article, index_terms, rank, tokenize

ARTICLES = [
    Article("kb-1", "退货流程", "七天无理由退货：联系客服，填写退货单，寄回仓库。"),
    Article("kb-2", "退货运费谁承担", "质量问题由店铺承担来回运费；非质量问题客户承担退货运费。"),
    Article("kb-3", "运费险说明", "下单时可购买运费险，理赔由保险公司处理。"),
    Article("kb-4", "Size guide", "Our shoes run small; choose one size up. 尺码偏小。"),
]


def test_t10_tokenize_uses_cjk_unigrams_and_bigrams_and_latin_words():
    assert tokenize("退货运费") == ["退", "货", "运", "费", "退货", "货运", "运费"]
    assert tokenize("Size 42码") == ["size", "42", "码"]


def test_t10_query_tuihuo_yunfei_ranks_the_return_postage_article_first():
    ranked = rank("退货 运费", [a.tokens() for a in ARTICLES])
    assert ranked[0][0] == "kb-2"
    assert {doc_id for doc_id, _ in ranked} == {"kb-1", "kb-2", "kb-3"}


def test_t10_latin_query_is_case_insensitive():
    assert rank("SIZE", [a.tokens() for a in ARTICLES])[0][0] == "kb-4"


def test_t10_no_match_gives_nothing():
    assert rank("发票", [a.tokens() for a in ARTICLES]) == []
    assert rank("", [a.tokens() for a in ARTICLES]) == []


def test_t10_index_terms_are_unique_and_cover_the_query_terms():
    terms = index_terms("退货运费谁承担", "退货运费")
    assert len(terms) == len(set(terms))
    assert {"退货", "运费"} <= set(terms)


def test_t10_revising_an_article_makes_a_new_version():
    revised = ARTICLES[0].revise("退货流程（新）", "联系在线客服办理退货。")
    assert (revised.id, revised.version, ARTICLES[0].version) == ("kb-1", 2, 1)
