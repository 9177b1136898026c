"""`python -m logistics.tools.warehouse_sim` publishes receipts as the warehouse system would."""

from __future__ import annotations

import asyncio
import json
import os
import sys

import pytest

from support.wait import eventually

pytestmark = pytest.mark.integration


async def sim(service, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "AMQP_URL": service.settings.amqp_url,
           "EXCHANGE": service.settings.exchange}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "logistics.tools.warehouse_sim", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_l6_sim_receipt_three_times_refunds_once(service) -> None:
    rma = await service.rma()
    code, out, err = await sim(service, "--rma", rma["number"], "--sku", "WOOL-38",
                               "--times", "3")
    assert code == 0, err
    published = [json.loads(line) for line in out.splitlines()]
    assert len(published) == 3 and len({p["receipt_id"] for p in published}) == 1
    refunds = await eventually(lambda: service.refunds(rma["number"]), timeout=30)
    await asyncio.sleep(0.5)
    assert len(await service.refunds(rma["number"])) == len(refunds) == 1


async def test_l6_sim_from_a_file_and_a_failed_item(service, tmp_path) -> None:
    rma = await service.rma()
    path = tmp_path / "receipts.json"
    path.write_text(json.dumps([{"rma_number": rma["number"], "inspector": "wh-1",
                                 "signed_by": "张三", "items": [
                                     {"sku": "WOOL-38", "quantity": 1, "intact": True,
                                      "box_complete": False, "resellable": True}]}]),
                    encoding="utf-8")
    code, _, err = await sim(service, "--file", str(path))
    assert code == 0, err

    async def disputed() -> bool:
        return (await service.get(f"/rmas/{rma['number']}")).json()["state"] == "disputed"
    await eventually(disputed, timeout=30)


async def test_l6_sim_refuses_invalid_unless_asked_and_then_it_is_dead_lettered(
        service, tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"receipt_id": "WR-BAD-1", "inspector": "wh", "items": []}))
    code, _, err = await sim(service, "--file", str(path))
    assert code == 2 and "invalid receipt" in err
    code, out, _ = await sim(service, "--file", str(path), "--invalid")
    assert code == 0
    message_id = json.loads(out.splitlines()[0])["published"]
    dead = await eventually(lambda: service.db.dead_letters.find_one({"message_id": message_id}),
                            timeout=30)
    assert "items" in dead["error"]
