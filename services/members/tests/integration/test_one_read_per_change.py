"""A change reads its subject once, for the caller's check, and writes exactly what was checked:
a subject changed by someone else after the check is refused with CONFLICT, nothing written."""

from collections.abc import Awaitable, Callable, Collection
from typing import Any

from conftest import Published
from kit.clock import Clock
from kit.identity import Principal
from kit.testing import FINDS, ServiceUnderTest, eventually
from members.clock import is_vietnamese_public_holiday
from members.repository import MongoCaseBook, MongoMemberRepository, MongoOrganisationDirectory
from members.schema import schema
from members.schema.access import Access, OrganisationTree
from members.schema.context import MembersContext
from members.service import MemberService, UseCases
from members_support import Ward, add_candidate, errors_of, register, ward_committee
from pymongo.asynchronous.database import AsyncDatabase

Db = AsyncDatabase[dict[str, Any]]

MEMBER_UPDATED = "partyorg.members.member.updated.v1"
RENAME = """
mutation ($id: ID!, $name: String!) { updateMember(id: $id, input: {fullName: $name}) { id } }
"""
REQUEST = """
mutation ($member: ID!, $to: ID!) {
  requestTransfer(input: {memberId: $member, kind: OFFICIAL, reason: RELOCATION,
    requestedOn: "2019-09-02", toOrganisationId: $to}) { id }
}
"""
INTRODUCE = """
mutation ($id: ID!) { issueIntroduction(id: $id, letterNo: "7", issuedOn: "2019-09-03") { id } }
"""
RECEIVE = 'mutation ($id: ID!) { receiveTransfer(id: $id, receivedOn: "2019-09-04") { id } }'
# a change of each kind of subject: a member, a transfer, a candidate
CORRECT = 'mutation ($id: ID!) { updateMember(id: $id, input: {fullName: "Bình"}) { id } }'
CHECKLIST = "mutation ($id: ID!) { recordTransferChecklist(id: $id, checklist: {}) { id } }"
ADVANCE = """
mutation ($id: ID!) { advanceCandidate(id: $id, stage: AWARENESS_TRAINED, on: "2019-09-01") { id } }
"""


async def reads_of_the_subject(
    service: ServiceUnderTest, principal: Principal, mutation: str, collection: str, id: str
) -> int:
    FINDS.watch(service.settings.database_name)
    try:
        await service.execute_ok(mutation, {"id": id}, principal=principal)
    finally:
        FINDS.stop()
    return FINDS.reads_of(collection, id)


async def test_a_change_reads_its_member_transfer_or_candidate_once(
    service: ServiceUnderTest, db: Db
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    committee = ward_committee(ward)
    member = await register(service, ward.agency)
    candidate = await add_candidate(service, ward.agency)
    moving = await register(service, ward.agency)
    requested = await service.execute_ok(
        REQUEST, {"member": moving, "to": ward.residential["Tổ dân phố 1"]}
    )
    transfer = requested["requestTransfer"]["id"]

    assert await reads_of_the_subject(service, committee, CORRECT, "members", member) == 1
    assert await reads_of_the_subject(service, committee, CHECKLIST, "transfers", transfer) == 1
    assert await reads_of_the_subject(service, committee, ADVANCE, "candidates", candidate) == 1


class ChangedDuringTheCheck:
    """The organisation tree the caller's check asks, letting someone else change the subject,
    once, while the check is under way: after the subject was read, before it is written."""

    def __init__(self, tree: OrganisationTree, meanwhile: Callable[[], Awaitable[None]]) -> None:
        self.tree = tree
        self.meanwhile: Callable[[], Awaitable[None]] | None = meanwhile

    async def ancestries(self, organisation_ids: list[str]) -> list[frozenset[str]]:
        if self.meanwhile is not None:
            change, self.meanwhile = self.meanwhile, None
            await change()
        return await self.tree.ancestries(organisation_ids)

    async def within(self, roots: Collection[str]) -> frozenset[str]:
        return await self.tree.within(roots)


async def rename_to_refused(
    db: Db, principal: Principal, member_id: str, meanwhile: Callable[[], Awaitable[None]]
) -> list[str]:
    """The error codes `principal` gets renaming the member while `meanwhile` happens."""
    members = MemberService(
        MongoMemberRepository(db),
        MongoOrganisationDirectory(db),
        MongoCaseBook(db),
        Clock(),
        is_vietnamese_public_holiday,
    )
    # a rename uses the member use cases only; it reads no personal field (nothing to log)
    use_cases = UseCases(members, None, None, None, None, None, None)  # type: ignore[arg-type]
    context = MembersContext(use_cases=use_cases, principal=principal, access_log=None)  # type: ignore[arg-type]
    context.access = Access(principal, ChangedDuringTheCheck(members, meanwhile))
    result = await schema.execute(
        RENAME, {"id": member_id, "name": "Refused"}, context_value=context
    )
    return errors_of({"errors": [error.formatted for error in result.errors or []]})


async def nothing_refused_announced(
    published: Published, db: Db, member_id: str, other_change: str
) -> None:
    """The other's change is announced and the member has no event left to publish: none
    carries the refused name."""

    async def announced() -> None:
        assert published.of_type(MEMBER_UPDATED, memberId=member_id, fullName=other_change)
        stored = await db["members"].find_one({"_id": member_id})
        assert stored is not None and not stored.get("pending_events")

    await eventually(announced, timeout=30)
    assert published.of_type(MEMBER_UPDATED, memberId=member_id, fullName="Refused") == []


async def test_a_member_corrected_by_someone_else_after_the_check_is_a_conflict(
    service: ServiceUnderTest, db: Db, published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    member_id = await register(service, ward.agency, name="Đỗ Văn Cũ")

    async def someone_else_corrects() -> None:
        await service.execute_ok(RENAME, {"id": member_id, "name": "Đỗ Văn Mới"})

    codes = await rename_to_refused(db, ward_committee(ward), member_id, someone_else_corrects)

    assert codes == ["CONFLICT"]
    stored = await db["members"].find_one({"_id": member_id})
    assert stored is not None and (stored["full_name"], stored["version"]) == ("Đỗ Văn Mới", 2)
    await nothing_refused_announced(published, db, member_id, "Đỗ Văn Mới")


async def test_a_member_transferred_out_of_the_ward_after_the_check_is_a_conflict(
    service: ServiceUnderTest, db: Db, published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    other_ward = await Ward(service, db).set_up(groups=1)
    member_id = await register(service, ward.agency, name="Phan Văn Đi")
    elsewhere = other_ward.residential["Tổ dân phố 1"]

    async def transferred_to_the_other_ward() -> None:
        requested = await service.execute_ok(REQUEST, {"member": member_id, "to": elsewhere})
        transfer = requested["requestTransfer"]["id"]
        await service.execute_ok(INTRODUCE, {"id": transfer})
        await service.execute_ok(RECEIVE, {"id": transfer})

    codes = await rename_to_refused(
        db, ward_committee(ward), member_id, transferred_to_the_other_ward
    )

    assert codes == ["CONFLICT"]
    stored = await db["members"].find_one({"_id": member_id})
    assert stored is not None
    assert (stored["full_name"], stored["organisation_id"]) == ("Phan Văn Đi", elsewhere)
    await nothing_refused_announced(published, db, member_id, "Phan Văn Đi")
