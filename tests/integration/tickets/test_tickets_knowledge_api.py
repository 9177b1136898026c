"""T10 knowledge base through the API: Chinese search ranking, versions, archive, ticket links."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.integration

RETURN_POSTAGE = {"title": "退货运费谁承担",
                  "body": "质量问题由本店承担来回运费；非质量问题退货由顾客承担退回运费。"}
SHIP_TIME = {"title": "发货时间",
             "body": "下午四点前付款且有库存的订单当天发货，手工鞋48小时内发货。"}


def _tag() -> str:
    return f"t-{uuid.uuid4().hex[:8]}"


async def _article(service, role: str = "aftersales", **body) -> dict:
    answer = await service.client.post("/articles", json=body, headers=service.as_(role))
    assert answer.status_code == 201, answer.text
    return answer.json()


async def _search(service, q: str, tag: str, role: str = "order_desk") -> list[dict]:
    answer = await service.client.get("/articles/search", params={"q": q, "tag": tag},
                                      headers=service.as_(role))
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_t10_chinese_query_ranks_the_matching_article_first(service) -> None:
    tag = _tag()
    postage = await _article(service, **RETURN_POSTAGE, tags=[tag, "退货"])
    shipping = await _article(service, **SHIP_TIME, tags=[tag])

    hits = await _search(service, "退货 运费", tag)

    assert hits[0]["id"] == postage["id"]
    assert hits[0]["score"] > (hits[1]["score"] if len(hits) > 1 else 0)
    assert "运费" in hits[0]["snippet"] and hits[0]["version"] == 1
    by_shipping = await _search(service, "什么时候发货", tag)
    assert by_shipping[0]["id"] == shipping["id"]


async def test_t10_latin_words_and_mixed_queries_are_found(service) -> None:
    tag = _tag()
    sf = await _article(service, title="SF 顺丰到付", body="Returns by SF Express are prepaid.",
                        tags=[tag])
    await _article(service, **SHIP_TIME, tags=[tag])

    hits = await _search(service, "sf express", tag)

    assert [h["id"] for h in hits] == [sf["id"]]


async def test_t10_revision_publishes_a_new_version_and_keeps_the_old(service) -> None:
    tag = _tag()
    first = await _article(service, title="换货流程", body="电话联络专员办理。",
                           tags=[tag])
    article_id = first["id"]
    answer = await service.client.put(
        f"/articles/{article_id}", headers=service.as_("supervisor", "sup-kb"),
        json={"title": "换货流程（新）", "body": "先登记服务卡，仓库验收后寄出新鞋。",
              "expected_version": 1})
    assert answer.status_code == 200, answer.text
    revised = answer.json()
    assert revised["version"] == 2 and revised["tags"] == [tag]  # tags kept when omitted
    assert revised["updated_by"] == "sup-kb" and revised["created_by"] == first["created_by"]

    reader = service.as_("warehouse")
    versions = (await service.client.get(f"/articles/{article_id}/versions",
                                         headers=reader)).json()
    assert [(v["version"], v["title"]) for v in versions] == [
        (1, "换货流程"), (2, "换货流程（新）")]
    old = await service.client.get(f"/articles/{article_id}/versions/1", headers=reader)
    assert old.status_code == 200 and old.json()["body"] == "电话联络专员办理。"
    current = (await service.client.get(f"/articles/{article_id}", headers=reader)).json()
    assert current["version"] == 2

    assert [h["id"] for h in await _search(service, "仓库验收", tag)] == [article_id]
    assert await _search(service, "电话联络", tag) == []  # only the current text is searched


async def test_t10_stale_revision_is_refused(service) -> None:
    article = await _article(service, title="尺码建议", body="偏大半码。")
    path = f"/articles/{article['id']}"
    headers = service.as_("presales")
    first = await service.client.put(path, headers=headers, json={
        "title": "尺码建议", "body": "偏大一码。", "expected_version": 1})
    assert first.status_code == 200
    stale = await service.client.put(path, headers=headers, json={
        "title": "尺码建议", "body": "标准尺码。", "expected_version": 1})
    assert stale.status_code == 409, stale.text
    assert stale.headers["content-type"].startswith("application/problem+json")
    assert "version 2" in stale.json()["detail"]


async def test_t10_archived_article_leaves_search_and_refuses_changes(service) -> None:
    tag = _tag()
    article = await _article(service, title="预售说明", body="预售商品付款后十五天内发货。",
                             tags=[tag])
    path = f"/articles/{article['id']}"
    refused = await service.client.post(f"{path}/archive", headers=service.as_("aftersales"))
    assert refused.status_code == 403
    archived = await service.client.post(f"{path}/archive", headers=service.as_("manager"))
    assert archived.status_code == 200 and archived.json()["archived"] is True

    assert await _search(service, "预售", tag) == []
    assert (await service.client.get(path, headers=service.as_("presales"))).status_code == 200
    again = await service.client.post(f"{path}/archive", headers=service.as_("manager"))
    assert again.status_code == 409 and again.json()["current_state"] == "archived"
    revise = await service.client.put(path, headers=service.as_("presales"),
                                      json={"title": "预售说明", "body": "二十天内发货。"})
    assert revise.status_code == 409
    listed = await service.client.get("/articles", params={"tag": tag},
                                      headers=service.as_("presales"))
    assert listed.json() == []
    with_archived = await service.client.get(
        "/articles", params={"tag": tag, "include_archived": "true"},
        headers=service.as_("presales"))
    assert [a["id"] for a in with_archived.json()] == [article["id"]]


async def test_t10_tickets_that_used_an_article_are_listed(service) -> None:
    article = await _article(service, **RETURN_POSTAGE)
    article_id = article["id"]
    await service.client.put(f"/articles/{article_id}", headers=service.as_("presales"),
                             json={"title": RETURN_POSTAGE["title"], "body": "更新后的说明。"})
    ticket = await service.ticket(staff_id="as-kb-1")
    used = await service.client.post(
        f"/tickets/{ticket['number']}/articles-used", headers=service.as_("aftersales", "as-kb-1"),
        json={"article_id": article_id, "version": 1})
    assert used.status_code == 200, used.text
    other = await service.ticket(staff_id="as-kb-2")
    again = await service.client.post(
        f"/tickets/{other['number']}/articles-used", headers=service.as_("aftersales", "as-kb-2"),
        json={"article_id": article_id, "version": 2})
    assert again.status_code == 200, again.text

    answer = await service.client.get(f"/articles/{article_id}/tickets",
                                      headers=service.as_("order_desk"))

    assert answer.status_code == 200, answer.text
    uses = {(u["ticket_number"], u["version"], u["used_by"]) for u in answer.json()}
    assert uses == {(ticket["number"], 1, "as-kb-1"), (other["number"], 2, "as-kb-2")}
    assert all(u["used_at"] for u in answer.json())


async def test_t10_every_route_needs_a_staff_token(service) -> None:
    for method, path in [("get", "/articles"), ("get", "/articles/search?q=运费"),
                         ("post", "/articles"), ("get", "/articles/kb-x"),
                         ("get", "/articles/kb-x/versions"), ("get", "/articles/kb-x/tickets")]:
        answer = await service.client.request(method.upper(), path)
        assert answer.status_code == 401, (method, path, answer.text)


async def test_t10_writing_roles(service) -> None:
    body = {"title": "仓库地址", "body": "退货寄往杭州仓。"}
    for role in ("order_desk", "warehouse", "hr_admin"):
        answer = await service.client.post("/articles", json=body, headers=service.as_(role))
        assert answer.status_code == 403, role
    for role in ("presales", "aftersales", "supervisor", "manager"):
        answer = await service.client.post("/articles", json=body, headers=service.as_(role))
        assert answer.status_code == 201, role


@pytest.mark.parametrize("body", [
    {"title": "标题", "body": "正文", "unknown": 1},
    {"title": {"$ne": ""}, "body": "正文"},
    {"title": "标题", "body": {"$ne": ""}},
    {"title": "标题", "body": "正文", "tags": "退货"},
    {"title": "标题", "body": "正文", "tags": [{"$ne": ""}]},
    {"title": "   ", "body": "正文"},
    {"title": "标题"},
])
async def test_t10_bad_article_bodies_are_422(service, body) -> None:
    answer = await service.client.post("/articles", json=body, headers=service.as_("presales"))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("path", [
    "/articles/search?q[$ne]=x",
    "/articles/search?q=",
    "/articles/search?q=！？",
    "/articles/search?q=运费&limit=0",
    "/articles/$ne",
    "/articles/kb-x/versions/zero",
])
async def test_t10_bad_queries_are_422(service, path) -> None:
    answer = await service.client.get(path, headers=service.as_("presales"))
    assert answer.status_code == 422, (path, answer.text)


async def test_t10_unknown_articles_and_versions_are_404(service) -> None:
    article = await _article(service, title="包装", body="鞋盒完整。")
    headers = service.as_("presales")
    for path in ("/articles/kb-nothing", "/articles/kb-nothing/versions",
                 "/articles/kb-nothing/tickets", f"/articles/{article['id']}/versions/2"):
        answer = await service.client.get(path, headers=headers)
        assert answer.status_code == 404, (path, answer.text)
    revise = await service.client.put("/articles/kb-nothing", headers=headers,
                                      json={"title": "a", "body": "b"})
    assert revise.status_code == 404


async def test_t10_openapi_documents_the_routes(service) -> None:
    spec = (await service.client.get("/openapi.json")).json()
    search = spec["paths"]["/articles/search"]["get"]
    assert search["summary"] and "422" in search["responses"]
    create = spec["paths"]["/articles"]["post"]
    schema_ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    assert schema["examples"] and schema["additionalProperties"] is False
