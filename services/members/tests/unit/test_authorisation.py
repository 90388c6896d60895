"""The rules of who may read and change members, candidates and transfers: every role, in its
own ward and in another, for each family of operations."""

from collections.abc import Collection
from dataclasses import replace
from datetime import date

import pytest
from kit.errors import Forbidden
from kit.identity import Grant, Principal, Role
from members.authorisation import Operation
from members.domain import (
    NotFound,
    PersonKind,
    Transfer,
    TransferKind,
    TransferReason,
    TransferState,
)
from members.domain.organisations import DissolutionCase
from members.schema.access import Access, Cell, Subject
from members.service.ports import Scope
from members_factories import candidate, member

# Ba Đình (bd) > ward A > its agency cell and a residential cell; ward B > its agency cell
TREE = {
    "bd": ["hn"],
    "ward-a": ["hn", "bd"],
    "a-agency": ["hn", "bd", "ward-a"],
    "a-tdp1": ["hn", "bd", "ward-a"],
    "ward-b": ["hn", "bd"],
    "b-agency": ["hn", "bd", "ward-b"],
}


class Tree:
    """The organisation read model in memory, counting its look-ups."""

    def __init__(self) -> None:
        self.ancestry_calls: list[list[str]] = []

    async def ancestries(self, organisation_ids: list[str]) -> list[frozenset[str]]:
        self.ancestry_calls.append(list(organisation_ids))
        return [frozenset((i, *TREE.get(i, []))) for i in organisation_ids]

    async def within(self, roots: Collection[str]) -> frozenset[str]:
        return frozenset(i for i, above in TREE.items() if i in roots or set(above) & set(roots))


def transfer(source: str, destination: str | None, person: str = "m-a") -> Transfer:
    return Transfer(
        id=f"t-{source}-{destination}",
        person_kind=PersonKind.MEMBER,
        person_id=person,
        person_name="Nguyễn Văn A",
        kind=TransferKind.OFFICIAL,
        reason=TransferReason.RELOCATION,
        from_organisation_id=source,
        to_organisation_id=destination,
        state=TransferState.INTRODUCED,
        requested_on=date(2019, 9, 1),
    )


# For each family: a subject of ward A (the caller's) and one of ward B.
SUBJECTS: dict[Operation, tuple[Subject, Subject]] = {
    Operation.READ_PERSON: (
        member("m-a", organisation_id="a-agency"),
        member("m-b", organisation_id="b-agency"),
    ),
    Operation.READ_TRANSFER: (transfer("b-agency", "a-tdp1"), transfer("b-agency", "ward-b")),
    Operation.CHANGE_PERSON: (
        candidate("c-a", organisation_id="a-tdp1"),
        candidate("c-b", organisation_id="b-agency"),
    ),
    Operation.ASSIGN_MENTOR: (
        candidate("c-a", organisation_id="a-tdp1"),
        candidate("c-b", organisation_id="b-agency"),
    ),
    Operation.RUN_TRANSFER: (transfer("a-agency", "b-agency"), transfer("b-agency", "a-tdp1")),
    Operation.RECEIVE_TRANSFER: (transfer("b-agency", "a-tdp1"), transfer("a-agency", "b-agency")),
    Operation.IMPORT_PEOPLE: (Cell("a-tdp1"), Cell("b-agency")),
    Operation.LOOK_UP_KEYS: (
        member("m-a", organisation_id="a-tdp1"),
        member("m-b", organisation_id="b-agency"),
    ),
    Operation.READ_ACCESS_LOG: (Cell("a-tdp1"), Cell("b-agency")),
}

# Who the contract lets do what, over the subtree their grant names.
ALLOWED: dict[Operation, set[Role]] = {
    Operation.READ_PERSON: {
        Role.CITY_COMMITTEE,
        Role.DISTRICT_STANDING,
        Role.WARD_COMMITTEE,
        Role.CELL_SECRETARY,
        Role.AUDITOR,
    },
    Operation.READ_TRANSFER: {
        Role.CITY_COMMITTEE,
        Role.DISTRICT_STANDING,
        Role.WARD_COMMITTEE,
        Role.CELL_SECRETARY,
        Role.AUDITOR,
    },
    Operation.CHANGE_PERSON: {Role.WARD_COMMITTEE},
    Operation.ASSIGN_MENTOR: {Role.WARD_COMMITTEE, Role.CELL_SECRETARY},
    Operation.RUN_TRANSFER: {Role.WARD_COMMITTEE},
    Operation.RECEIVE_TRANSFER: {Role.WARD_COMMITTEE, Role.CELL_SECRETARY},
    Operation.IMPORT_PEOPLE: {Role.WARD_COMMITTEE, Role.DISTRICT_STANDING, Role.CITY_COMMITTEE},
    Operation.LOOK_UP_KEYS: {Role.INTEGRATION},
    Operation.READ_ACCESS_LOG: {Role.AUDITOR},
}

CASES = [(operation, role) for operation in Operation for role in Role]


def of_ward_a(role: Role) -> Principal:
    return Principal(f"u-{role.value.lower()}", grants=(Grant(role, "ward-a"),), member_id="m-self")


def whole_tree(role: Role) -> Principal:
    return Principal(f"u-{role.value.lower()}", grants=(Grant(role),), member_id="m-self")


@pytest.mark.parametrize(("operation", "role"), CASES, ids=[f"{a.name}-{r.name}" for a, r in CASES])
async def test_a_role_acts_in_its_own_subtree_only_as_the_table_allows(
    operation: Operation, role: Role
) -> None:
    in_scope, out_of_scope = SUBJECTS[operation]
    access = Access(of_ward_a(role), Tree())
    assert await access.allows(operation, in_scope) is (role in ALLOWED[operation])
    assert await access.allows(operation, out_of_scope) is False


@pytest.mark.parametrize(("operation", "role"), CASES, ids=[f"{a.name}-{r.name}" for a, r in CASES])
async def test_a_whole_tree_grant_acts_everywhere_the_table_allows(
    operation: Operation, role: Role
) -> None:
    access = Access(whole_tree(role), Tree())
    for subject in SUBJECTS[operation]:
        assert await access.allows(operation, subject) is (role in ALLOWED[operation])


def test_auditors_and_service_accounts_change_nothing() -> None:
    changes = (
        Operation.CHANGE_PERSON,
        Operation.RUN_TRANSFER,
        Operation.RECEIVE_TRANSFER,
        Operation.IMPORT_PEOPLE,
    )
    for role in (Role.AUDITOR, Role.WORKPLACE_ASSESSOR, Role.INTEGRATION, Role.MEMBER):
        assert not any(role in ALLOWED[operation] for operation in changes)


def test_every_family_of_operations_has_its_row() -> None:
    assert set(SUBJECTS) == set(ALLOWED) == set(Operation)


async def test_a_member_reads_their_own_record_and_transfers_and_nothing_else() -> None:
    me = Principal("u-me", grants=(Grant(Role.MEMBER),), member_id="m-self")
    access = Access(me, Tree())
    mine = member("m-self", organisation_id="a-agency")
    assert await access.allows(Operation.READ_PERSON, mine)
    assert not await access.allows(
        Operation.READ_PERSON, member("m-other", organisation_id="a-agency")
    )
    assert await access.allows(Operation.READ_TRANSFER, transfer("a-agency", "b-agency", "m-self"))
    assert not await access.allows(Operation.READ_TRANSFER, transfer("a-agency", "b-agency", "m-x"))
    assert not await access.allows(
        Operation.READ_PERSON, candidate("m-self", organisation_id="a-agency")
    )
    assert not await access.allows(Operation.READ_PERSON, Cell("a-agency"))
    assert not await access.allows(Operation.CHANGE_PERSON, mine)
    assert not await access.allows(Operation.RUN_TRANSFER, transfer("a-agency", None, "m-self"))


async def test_a_member_id_without_the_member_role_is_no_own_record() -> None:
    clerk = Principal("u-clerk", grants=(Grant(Role.INTEGRATION),), member_id="m-self")
    assert not await Access(clerk, Tree()).allows(
        Operation.READ_PERSON, member("m-self", organisation_id="a-agency")
    )


async def test_a_transfer_is_read_from_either_end_and_run_from_the_source_only() -> None:
    secretary_of_a_tdp1 = Principal("u-s", grants=(Grant(Role.CELL_SECRETARY, "a-tdp1"),))
    access = Access(secretary_of_a_tdp1, Tree())
    incoming = transfer("b-agency", "a-tdp1")
    assert await access.allows(Operation.READ_TRANSFER, incoming)
    assert await access.allows(Operation.RECEIVE_TRANSFER, incoming)
    assert not await access.allows(Operation.RUN_TRANSFER, incoming)
    assert not await access.allows(Operation.READ_TRANSFER, transfer("a-agency", "b-agency"))


async def test_a_transfer_out_of_the_district_is_received_by_the_source_ward() -> None:
    leaving = transfer("a-agency", None)
    ward_a = Access(of_ward_a(Role.WARD_COMMITTEE), Tree())
    ward_b = Access(
        replace(of_ward_a(Role.WARD_COMMITTEE), grants=(Grant(Role.WARD_COMMITTEE, "ward-b"),)),
        Tree(),
    )
    assert await ward_a.allows(Operation.RECEIVE_TRANSFER, leaving)
    assert not await ward_b.allows(Operation.RECEIVE_TRANSFER, leaving)


async def test_a_member_who_left_the_district_is_seen_by_whole_tree_readers_only() -> None:
    gone = member("m-gone", organisation_id="a-agency")
    gone = replace(gone, organisation_id=None)
    assert not await Access(of_ward_a(Role.WARD_COMMITTEE), Tree()).allows(
        Operation.READ_PERSON, gone
    )
    assert await Access(whole_tree(Role.AUDITOR), Tree()).allows(Operation.READ_PERSON, gone)


async def test_a_dissolution_case_is_in_the_scope_of_its_cell() -> None:
    case = DissolutionCase("case-a", cell_id="a-agency", ward_committee_id="ward-a")
    access = Access(of_ward_a(Role.CELL_SECRETARY), Tree())
    assert await access.allows(Operation.READ_TRANSFER, case)
    assert not await access.allows(Operation.READ_TRANSFER, replace(case, cell_id="b-agency"))


async def test_an_unknown_id_is_forbidden_except_to_a_whole_tree_holder() -> None:
    async def nothing() -> Transfer:
        raise NotFound("No transfer with id t-0.")

    with pytest.raises(Forbidden):
        await Access(of_ward_a(Role.WARD_COMMITTEE), Tree()).fetch(Operation.READ_TRANSFER, nothing)
    with pytest.raises(NotFound):
        await Access(whole_tree(Role.WARD_COMMITTEE), Tree()).fetch(
            Operation.READ_TRANSFER, nothing
        )


async def test_a_caller_without_a_role_of_the_rule_is_refused_before_anything_is_looked_up() -> (
    None
):
    looked_up = []

    async def lookup() -> Transfer:
        looked_up.append(True)
        return transfer("a-agency", None)

    with pytest.raises(Forbidden):
        await Access(whole_tree(Role.AUDITOR), Tree()).fetch(Operation.RUN_TRANSFER, lookup)
    assert looked_up == []


async def test_lists_are_narrowed_to_the_organisations_of_the_callers_subtrees() -> None:
    ward_a = Access(of_ward_a(Role.WARD_COMMITTEE), Tree())
    assert await ward_a.scope(Operation.READ_PERSON) == Scope(
        frozenset({"ward-a", "a-agency", "a-tdp1"}), roots=frozenset({"ward-a"})
    )
    assert await Access(whole_tree(Role.AUDITOR), Tree()).scope(Operation.READ_PERSON) == Scope()
    me = Principal("u-me", grants=(Grant(Role.MEMBER),), member_id="m-self")
    assert await Access(me, Tree()).scope(Operation.READ_TRANSFER) == Scope(frozenset(), "m-self")
    assert await Access(me, Tree()).scope(Operation.READ_ACCESS_LOG) == Scope(frozenset())
    assessor = Access(whole_tree(Role.WORKPLACE_ASSESSOR), Tree())
    assert await assessor.scope(Operation.READ_PERSON) == Scope(frozenset())


async def test_the_ancestry_of_a_thousand_members_is_looked_up_in_one_batch() -> None:
    tree = Tree()
    access = Access(of_ward_a(Role.CELL_SECRETARY), tree)
    cells = ["a-agency", "a-tdp1", "b-agency"]
    members = [member(f"m{n}", organisation_id=cells[n % 3]) for n in range(1000)]
    visible = await access.keep(Operation.READ_PERSON, members)
    assert len(visible) == 667 and {m.organisation_id for m in visible} == {"a-agency", "a-tdp1"}
    assert len(tree.ancestry_calls) == 1 and sorted(tree.ancestry_calls[0]) == sorted(cells)
