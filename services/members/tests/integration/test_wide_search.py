"""A search within a wide scope reads the members its word finds, not the whole scope, and
answers as a search within a narrow one does: the same members, count and pages."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date

import pytest_asyncio
from kit.mongo import Document
from members.domain import Gender, KnownOrganisation, PartyMember, Standing
from members.repository import MongoMemberRepository, MongoOrganisationDirectory
from members.repository.members import WIDE_SCOPE
from members.service.ports import MemberFilter, Scope
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

NAMES = ["Nguyễn Văn Bình", "Nguyễn Văn Bảo", "Trần Văn Bình", "Nguyễn Thị Hoa", "Lê Văn Bính"]


@pytest_asyncio.fixture(loop_scope="session")
async def db() -> AsyncIterator[AsyncDatabase[Document]]:
    client: AsyncMongoClient[Document] = AsyncMongoClient("mongodb://127.0.0.1:27017/")
    name = f"test_wide_{uuid.uuid4().hex[:10]}"
    yield client[name]
    await client.drop_database(name)
    await client.close()


def cell(id: str, ward: str) -> KnownOrganisation:
    return KnownOrganisation(
        id=id, code=id.upper(), name=id, kind="CELL", cell_type="RESIDENTIAL",
        parent_id=ward, status="ACTIVE", ancestor_ids=["city", ward], version=1,
    )  # fmt: skip


async def test_a_search_in_a_wide_scope_answers_as_in_a_narrow_one(
    db: AsyncDatabase[Document],
) -> None:
    organisations = MongoOrganisationDirectory(db)
    members = MongoMemberRepository(db)
    for ward, cells in (("ward-in", ("in-1", "in-2")), ("ward-out", ("out-1",))):
        for cell_id in cells:
            await organisations.remember(cell(cell_id, ward))
    for n in range(30):
        await members.add(
            PartyMember(
                id=f"m{n:02d}",
                card_number=f"01.{n:06d}",
                full_name=NAMES[n % len(NAMES)],
                date_of_birth=date(1980, 1, 1),
                gender=Gender.MALE,
                standing=Standing.OFFICIAL,
                admitted_on=date(2000, 1, 1),
                official_on=date(2001, 1, 1),
                organisation_id=("in-1", "in-2", "out-1")[n % 3],
            ),
            [],
        )
    narrow = Scope(frozenset({"ward-in", "in-1", "in-2"}), roots=frozenset({"ward-in"}))
    wide = replace(
        narrow,
        organisation_ids=narrow.organisation_ids | {f"elsewhere-{n}" for n in range(WIDE_SCOPE)},
    )

    async def pages(scope: Scope, search: str) -> list[tuple[list[str], int]]:
        seen, after = [], None
        while True:
            page = await members.page(MemberFilter(search=search, scope=scope), 4, after)
            seen.append(([m.id for m in page.items], page.total))
            if not page.has_next:
                return seen
            after = page.end_cursor

    for search in ("nguyen van b", "van binh", "01.0000", "hoa"):
        answer = await pages(narrow, search)
        assert answer == await pages(wide, search), search
        assert sum(len(ids) for ids, _ in answer) == answer[0][1] > 0
    assert [ids for ids, _ in await pages(wide, "le van")] == [["m04", "m09", "m19", "m24"]]


async def test_members_stored_before_their_search_words_get_them_at_start_up(
    db: AsyncDatabase[Document],
) -> None:
    organisations = MongoOrganisationDirectory(db)
    members = MongoMemberRepository(db)
    await organisations.remember(cell("in-1", "ward-in"))
    for n, name in enumerate(NAMES):
        await members.add(
            PartyMember(
                id=f"old{n}", card_number=f"02.{n:06d}", full_name=name,
                date_of_birth=date(1980, 1, 1), gender=Gender.MALE, standing=Standing.OFFICIAL,
                admitted_on=date(2000, 1, 1), official_on=date(2001, 1, 1),
                organisation_id="in-1",
            ),
            [],
        )  # fmt: skip
    kept = await db["members"].find_one({"_id": "old0"})
    await db["members"].update_many({}, {"$unset": {"search_words": "", "scope_ids": ""}})
    await db["upgrades"].delete_many({})

    await MongoMemberRepository(db).write_paths_if_missing()  # as at start-up

    again = await db["members"].find_one({"_id": "old0"})
    assert kept is not None and again is not None
    assert (again["search_words"], again["scope_ids"]) == (kept["search_words"], kept["scope_ids"])
    scope = Scope(frozenset({"ward-in", "in-1"}), roots=frozenset({"ward-in"}))
    page = await members.page(MemberFilter(search="van binh", scope=scope), 10, None)
    assert sorted(m.id for m in page.items) == ["old0", "old2", "old4"]  # Bình, Bính
