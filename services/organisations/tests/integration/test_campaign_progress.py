"""A campaign's progress is read from the counts kept with each step of its cases, not from a
scan of the cases; a step taken once counts once, and missing counts are made again."""

import asyncio
from typing import Any

from kit.testing import ServiceUnderTest
from pymongo import AsyncMongoClient

from services.organisations.tests.integration.support import (
    DISSEMINATION,
    BaDinh,
    take_step,
    take_step_ok,
)

PROGRESS = """
query ($id: ID!) {
  campaign(id: $id) { progress { totalCases overdueCases byStage { stage count } } }
}
"""


async def progress(service: ServiceUnderTest, campaign_id: str) -> dict[str, int]:
    found = (await service.execute_ok(PROGRESS, {"id": campaign_id}))["campaign"]["progress"]
    counts = {s["stage"]: s["count"] for s in found["byStage"] if s["count"]}
    return {**counts, "total": found["totalCases"], "overdue": found["overdueCases"]}


async def test_progress_follows_each_step_and_a_step_raced_ten_times_counts_once(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ", "KM": "Kim Mã", "NK": "Ngọc Khánh"})
    campaign = await tree.launch(["GV", "KM", "NK"])
    cases = [case["id"] for case in campaign["cases"]]
    await service.execute_ok('mutation { setToday(today: "2019-09-14") }')
    assert await progress(service, campaign["id"]) == {"OPENED": 3, "total": 3, "overdue": 0}

    await asyncio.gather(
        *(take_step(service, "recordDissemination", cases[0], **DISSEMINATION) for _ in range(10))
    )
    await take_step_ok(service, "recordDissemination", cases[1], **DISSEMINATION)
    await take_step_ok(
        service, "submitPlan", cases[1], planNumber="01-PA/ĐU", planDate="2019-09-14"
    )
    assert await progress(service, campaign["id"]) == {
        "OPENED": 1,
        "DISSEMINATED": 1,
        "PLAN_SUBMITTED": 1,
        "total": 3,
        "overdue": 0,
    }
    await service.execute_ok('mutation { setToday(today: "2019-09-16") }')
    assert (await progress(service, campaign["id"]))["overdue"] == 2


async def test_progress_is_read_from_the_kept_counts_and_made_again_when_missing(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ", "KM": "Kim Mã"})
    campaign = await tree.launch(["GV", "KM"])
    await service.execute_ok('mutation { setToday(today: "2019-09-14") }')
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(service.settings.mongodb_url)
    kept = client[service.settings.database_name]["campaign_progress"]
    try:
        case_id = campaign["cases"][0]["id"]
        await kept.update_one(
            {"_id": campaign["id"]},
            {"$set": {f"cases.{case_id}": {"stage": "CLOSED", "version": 99}}},
        )
        assert await progress(service, campaign["id"]) == {
            "OPENED": 1,
            "CLOSED": 1,
            "total": 2,
            "overdue": 0,
        }
        await kept.delete_one({"_id": campaign["id"]})
        assert await progress(service, campaign["id"]) == {"OPENED": 2, "total": 2, "overdue": 0}
        assert await kept.find_one({"_id": campaign["id"]}) is not None
    finally:
        await client.close()


async def test_the_total_of_an_unfiltered_page_is_every_organisation(
    service: ServiceUnderTest,
) -> None:
    await BaDinh(service).build({"GV": "Giảng Võ"})
    page = await service.execute_ok("{ organisations(first: 1) { totalCount } }")
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(service.settings.mongodb_url)
    try:
        stored = client[service.settings.database_name]["organisations"]
        assert page["organisations"]["totalCount"] == await stored.count_documents({}) > 1
    finally:
        await client.close()
