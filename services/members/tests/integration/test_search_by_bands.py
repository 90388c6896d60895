"""A search across the tree reads its members a band of names at a time: the same members, in
the same order and pages, as every member the phrase finds sorted by name; its total counted up
to COUNTED (exact when every band was read); and far fewer members read than the phrase
finds."""

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date

import pytest
import pytest_asyncio
from kit.mongo import Document
from kit.query_log import QUERY_LOG, QueryLog
from kit.search import finds, searchable
from members.domain import Gender, KnownOrganisation, PartyMember, Standing
from members.repository import MongoMemberRepository, MongoOrganisationDirectory
from members.repository import members as members_repository
from members.repository.imports import MongoImportStore
from members.repository.member_search import COUNTED
from members.repository.members import WIDE_SCOPE
from members.service.ports import EVERYWHERE, MemberFilter, Scope
from pymongo import AsyncMongoClient, monitoring
from pymongo.asynchronous.database import AsyncDatabase

FAMILIES = ["Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Ngô", "Nguyễn", "Đặng"]
MIDDLES = ["Văn", "Thị", "Đức", "Văn Nguyên"]
GIVEN = ["An", "Bình", "Nguyên", "Hoa", "Bảo", "Nguyệt", "Anh", "Cúc", "Dũng", "Giang", "Hải"]
GIVEN += ["Hùng", "Khoa", "Lan", "Minh", "Phúc", "Quang", "Sơn", "Tâm", "Vân"]
CELLS = ("in-1", "in-2", "out-1")
SEARCHES = [
    "nguyen",  # the first word of most: every name of its band matches
    "Nguyễn Văn",  # its band's first word, then a band under it
    "nguyen van binh",
    "nguyen van ngu",
    "van nguyen",  # further in the names only
    "binh",
    "ngu",  # the start of several first words, and of given names
    "le",  # a short word alone: Lê whole, not every member
    "ng",  # a short word no name has whole: nobody
    "tran nguyen",
    "dang thi a",
    "01.00002",
    "zzz",
]


class Reads(monitoring.CommandListener):
    """How many members the store returned to searches, and how many bands were inserted."""

    def __init__(self) -> None:
        self.members = 0
        self.bands_inserted = 0
        self.member_filters: list[Document] = []  # of every find of members

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "insert" and event.command["insert"] == "name_bands":
            self.bands_inserted += len(event.command.get("documents", []))
        if event.command_name == "find" and event.command["find"] == "members":
            self.member_filters.append(dict(event.command.get("filter", {})))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        cursor = event.reply.get("cursor", {})
        if str(cursor.get("ns", "")).endswith(".members"):
            self.members += len(cursor.get("firstBatch", cursor.get("nextBatch", [])))

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


READS = Reads()


@pytest_asyncio.fixture(loop_scope="session")
async def db() -> AsyncIterator[AsyncDatabase[Document]]:
    recorded = [QueryLog(os.environ[QUERY_LOG], "members")] if os.environ.get(QUERY_LOG) else []
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        "mongodb://127.0.0.1:27017/", event_listeners=[READS, *recorded]
    )  # the searches' queries are checked against the declared indexes with the service's
    name = f"test_bands_{uuid.uuid4().hex[:10]}"
    yield client[name]
    await client.drop_database(name)
    await client.close()


def member(n: int) -> PartyMember:
    family = FAMILIES[n % len(FAMILIES)]
    middle = MIDDLES[n // len(FAMILIES) % len(MIDDLES)]
    given = GIVEN[n // 3 % len(GIVEN)]
    name = f"{family} {middle} {given}" if n % 41 else f"Trần {family} {middle} {given}"
    return PartyMember(
        id=f"m{n:03d}", card_number=f"01.{n:06d}", full_name=name,
        date_of_birth=date(1980, 1, 1), gender=Gender.MALE, standing=Standing.OFFICIAL,
        admitted_on=date(2000, 1, 1), official_on=date(2001, 1, 1),
        organisation_id=CELLS[n % len(CELLS)],
    )  # fmt: skip


async def stored(db: AsyncDatabase[Document], count: int) -> list[PartyMember]:
    organisations = MongoOrganisationDirectory(db)
    for cell_id in CELLS:
        ward = "ward-out" if cell_id.startswith("out") else "ward-in"
        cell = KnownOrganisation(
            id=cell_id, code=cell_id.upper(), name=cell_id, kind="CELL",
            cell_type="RESIDENTIAL", parent_id=ward, status="ACTIVE",
            ancestor_ids=["city", ward], version=1,
        )  # fmt: skip
        await organisations.remember(cell)
    repository = MongoMemberRepository(db)
    await repository.create_indexes()
    people = [member(n) for n in range(count)]
    events = [{"id": f"e-{p.id}", "type": "test.member.registered"} for p in people]
    await MongoImportStore(db).write_members(list(zip(people, events, strict=True)), [])
    return people


def expected(
    people: list[PartyMember], search: str, visible: set[str] | None, own: str | None = None
) -> list[str]:
    found = [
        (searchable(p.full_name), p.id)
        for p in people
        if finds(search, f"{p.full_name} {p.card_number}")
        and (visible is None or p.organisation_id in visible or p.id == own)
    ]
    return [i for _, i in sorted(found)]


async def pages(
    repository: MongoMemberRepository, where: MemberFilter, size: int
) -> tuple[list[str], list[tuple[int, bool]]]:
    ids, totals, after = [], [], None
    while True:
        page = await repository.page(where, size, after)
        ids += [m.id for m in page.items]
        totals.append((page.total, page.capped))
        if not page.has_next:
            return ids, totals
        after = page.end_cursor


async def test_a_search_by_bands_finds_every_match_in_name_order_a_page_at_a_time(
    db: AsyncDatabase[Document],
) -> None:
    people = await stored(db, 260)
    repository = MongoMemberRepository(db)
    inside = {"ward-in", "in-1", "in-2"}
    wide = Scope(
        frozenset(inside | {f"elsewhere-{n}" for n in range(WIDE_SCOPE)}),
        roots=frozenset({"ward-in"}),
    )
    narrow = Scope(frozenset(inside), roots=frozenset({"ward-in"}))  # read as before bands
    for search in SEARCHES:
        for scope, visible in ((EVERYWHERE, None), (wide, inside), (narrow, inside)):
            wanted = expected(people, search, visible)
            ids, totals = await pages(repository, MemberFilter(search=search, scope=scope), 9)
            assert ids == wanted, (search, visible)
            exact = {(len(wanted), False)}
            assert set(totals) <= exact | ({(COUNTED, True)} if len(wanted) > COUNTED else set())


async def test_a_subtree_of_many_members_is_searched_by_bands_within_it(
    db: AsyncDatabase[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    people = await stored(db, 260)
    repository = MongoMemberRepository(db)
    inside = {"ward-in", "in-1", "in-2"}
    ward = Scope(frozenset(inside), roots=frozenset({"ward-in"}))
    monkeypatch.setattr(members_repository, "WIDE_SCOPE_MEMBERS", 50)  # its 173 are many
    for search in SEARCHES:
        wanted = expected(people, search, inside)
        READS.member_filters.clear()
        ids, totals = await pages(repository, MemberFilter(search=search, scope=ward), 9)
        assert ids == wanted, search
        assert set(totals) <= {(len(wanted), False), (COUNTED, True)}, search
        bands = [f for f in READS.member_filters if "search_words" in f]
        assert bands and all(f["scope_ids"] == "ward-in" for f in bands), search

    outside = next(p for p in people if p.organisation_id == "out-1" and p.id != "m000")
    own = replace(ward, person_id=outside.id)  # a member of out-1 on the ward's committee
    surname = searchable(outside.full_name).split()[0]
    ids, _ = await pages(repository, MemberFilter(search=surname, scope=own), 500)
    assert ids == expected(people, surname, inside | {outside.id}, outside.id)


async def test_a_common_word_reads_a_page_and_its_count_not_every_match(
    db: AsyncDatabase[Document],
) -> None:
    people = await stored(db, 1040)
    repository = MongoMemberRepository(db)
    matches = expected(people, "nguyen", None)
    assert len(matches) > 6 * COUNTED

    READS.members = 0
    page = await repository.page(MemberFilter(search="nguyen"), 3, None)

    assert [m.id for m in page.items] == matches[:3] and page.has_next
    assert (page.total, page.capped) == (COUNTED, True)
    # the keys of the bands read (a few at once, so some more than counted), then the page's
    assert READS.members < len(matches) / 2


async def test_members_stored_before_their_name_bands_get_them_at_start_up(
    db: AsyncDatabase[Document],
) -> None:
    people = await stored(db, 40)
    await db["members"].update_many({}, {"$unset": {"name_band_1": "", "name_band_2": ""}})
    await db["name_bands"].delete_many({})
    await db["upgrades"].delete_many({"_id": {"$regex": "name bands"}})
    again = MongoMemberRepository(db)
    again.bands.kept.listed.clear()
    again.bands.kept.children.clear()

    await again.write_bands_if_missing()  # as at start-up

    for search in ("nguyen van", "ngu", "binh"):
        found, _ = await pages(again, MemberFilter(search=search), 50)
        assert found == expected(people, search, None), search
    renamed = replace(people[0], full_name="Zương Văn Mới", version=people[0].version + 1)
    assert await again.save(renamed, [])
    found, _ = await pages(again, MemberFilter(search="zuong"), 5)
    assert found == [people[0].id]


async def test_a_restarted_process_lists_each_band_once(db: AsyncDatabase[Document]) -> None:
    """A process that remembers no band inserts a save's bands, those listed refused as
    duplicates: none listed twice, the new one listed, each tried once by the process."""
    people = await stored(db, 40)
    listed = await db["name_bands"].count_documents({})
    again = MongoMemberRepository(db)
    again.bands.kept.listed.clear()  # as a new process: it remembers no band
    READS.bands_inserted = 0

    assert await again.save(replace(people[1], version=people[1].version + 1), [])
    assert await db["name_bands"].count_documents({}) == listed
    renamed = replace(people[2], full_name="Nguyễn Văn Mớiđây", version=people[2].version + 1)
    assert await again.save(renamed, [])
    assert await db["name_bands"].count_documents({}) == listed + 1  # its whole name
    assert READS.bands_inserted == 3 + 1  # people[1]'s three; of the new name, its whole name
    found, _ = await pages(again, MemberFilter(search="nguyen van moiday"), 5)
    assert found == [people[2].id]
