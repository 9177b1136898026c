"""A short, bounded `scripts/fuzz` run as a test (issue 10, item 3): schemathesis over the merged
OpenAPI through the gateway, the four services running on the real broker and database, signed in
as a manager. Any 5xx, undocumented status or content type, or answer off its schema fails it.
The full run (a few minutes, a manager and an agent) is `scripts/fuzz`."""

from __future__ import annotations

import pytest

from support.fuzzing import failures_in, fuzz

pytestmark = [pytest.mark.integration, pytest.mark.slow]


async def test_a_short_fuzz_run_through_the_gateway_finds_nothing(mongo_url, amqp_url,
                                                                  tmp_path) -> None:
    [run] = await fuzz(mongo_url, amqp_url, ("manager1",), max_time=20, seed=20261129,
                       workers=1, out=tmp_path)
    found = failures_in(tmp_path / "manager1.ndjson")
    assert run.cases > 0 and run.operations > 100, run.line()
    assert run.passed, (run.line(), found, (tmp_path / "manager1.log").read_text()[-3000:])
