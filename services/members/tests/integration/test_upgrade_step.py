"""`python -m members upgrade`: the indexes made and what an earlier release stored upgraded,
then the process ends, before a rollout; the service's start-up then finds the upgrades done."""

import asyncio
from datetime import date

import pytest
from kit.http import serve
from kit.mongo import Document
from kit.testing import isolated
from members.config import Settings
from members.domain import Gender, KnownOrganisation, PartyMember, Standing
from members.main import create_app
from members.repository import MongoMemberRepository, MongoOrganisationDirectory
from members.repository.members import BANDS_WRITTEN, PATHS_WRITTEN
from pymongo import AsyncMongoClient


async def test_the_upgrade_step_upgrades_what_an_earlier_release_stored_and_ends() -> None:
    settings = isolated(Settings)
    client: AsyncMongoClient[Document] = AsyncMongoClient(settings.mongodb_url)
    db = client[settings.database_name]
    try:
        await MongoOrganisationDirectory(db).remember(
            KnownOrganisation(
                id="cell-1", code="CELL-1", name="cell", kind="CELL", cell_type="RESIDENTIAL",
                parent_id="ward", status="ACTIVE", ancestor_ids=["city", "ward"], version=1,
            )
        )  # fmt: skip
        member = PartyMember(
            id="old", card_number="02.000001", full_name="Lê Văn Bình",
            date_of_birth=date(1980, 1, 1), gender=Gender.MALE, standing=Standing.OFFICIAL,
            admitted_on=date(2000, 1, 1), official_on=date(2001, 1, 1), organisation_id="cell-1",
        )  # fmt: skip
        await MongoMemberRepository(db).add(member, [])
        kept = await db["members"].find_one({"_id": "old"})
        await db["members"].update_many(
            {}, {"$unset": {"search_words": "", "scope_ids": "", "name_band_1": ""}}
        )
        await db["upgrades"].delete_many({})

        await asyncio.to_thread(serve, create_app(settings), settings, ["upgrade"])

        again = await db["members"].find_one({"_id": "old"})
        assert kept is not None and again is not None
        for field in ("search_words", "scope_ids", "name_band_1"):
            assert again[field] == kept[field], field
        done = {d["_id"] async for d in db["upgrades"].find({})}
        assert {PATHS_WRITTEN, BANDS_WRITTEN} <= done
    finally:
        await client.drop_database(settings.database_name)
        await client.close()


def test_anything_else_is_refused_with_how_to_call_it() -> None:
    settings = isolated(Settings)
    with pytest.raises(SystemExit, match="upgrade"):
        serve(create_app(settings), settings, ["migrate"])
