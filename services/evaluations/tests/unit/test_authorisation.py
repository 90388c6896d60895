"""The rule table, role by role: in scope, out of scope, the whole tree, the member's own."""

import pytest
from evaluations.authorisation import RULES, Operation
from kit.identity import Grant, Principal, Role

DS, WC, CS = Role.DISTRICT_STANDING, Role.WARD_COMMITTEE, Role.CELL_SECRETARY
WA, INTEGRATION, MEMBER, AUDITOR = (
    Role.WORKPLACE_ASSESSOR,
    Role.INTEGRATION,
    Role.MEMBER,
    Role.AUDITOR,
)
READERS = {Role.CITY_COMMITTEE, DS, WC, CS, AUDITOR}

# PRODUCT.md's table, written out again here as the specification the rules must meet
MAY = {
    Operation.READ_EVALUATION: READERS,
    Operation.READ_SUMMARY: READERS,
    Operation.ASSIGN_TASK: {CS},
    Operation.RECORD_ASSIGNMENT_RESULT: {CS},
    Operation.PROPOSE_RATING: {CS},
    Operation.ADD_SUPERVISION_FEEDBACK: {CS},
    Operation.ADD_HOST_CELL_FEEDBACK: {CS, WC},
    Operation.FINALISE_RATING: {WC},
    Operation.REOPEN_RATING: {WC},
    Operation.SELF_ASSESS: set(),
    Operation.SUBMIT_WORKPLACE_ASSESSMENTS: {WA, INTEGRATION},
    Operation.READ_ACCESS_LOG: {AUDITOR},
}
ON_OWN_RECORD = {Operation.READ_EVALUATION, Operation.SELF_ASSESS}

GIANG_VO_CELL = frozenset({"ha-noi", "ba-dinh", "giang-vo", "gv-tdp-1"})
KIM_MA_CELL = frozenset({"ha-noi", "ba-dinh", "kim-ma", "km-tdp-1"})
UNKNOWN: frozenset[str] = frozenset()
EVERY = [(operation, role) for operation in Operation for role in Role]


def holder(role: Role, organisation: str | None) -> Principal:
    return Principal("u-1", "Người dùng", (Grant(role, organisation),), member_id="an")


def test_every_operation_family_has_a_rule() -> None:
    assert set(RULES.table) == set(Operation) == set(MAY)


@pytest.mark.parametrize(("operation", "role"), EVERY)
def test_a_grant_over_the_ward_covers_its_cells_for_the_roles_of_the_table(
    operation: Operation, role: Role
) -> None:
    in_scope = RULES.allows(holder(role, "giang-vo"), operation, GIANG_VO_CELL, "binh")
    assert in_scope is (role in MAY[operation])


@pytest.mark.parametrize(("operation", "role"), EVERY)
def test_a_grant_over_one_ward_covers_nothing_in_another(operation: Operation, role: Role) -> None:
    assert not RULES.allows(holder(role, "giang-vo"), operation, KIM_MA_CELL, "binh")


@pytest.mark.parametrize(("operation", "role"), EVERY)
def test_a_grant_over_a_cell_covers_neither_its_ward_nor_a_sibling(
    operation: Operation, role: Role
) -> None:
    secretary = holder(role, "gv-tdp-1")
    assert not RULES.allows(
        secretary, operation, frozenset({"ha-noi", "ba-dinh", "giang-vo"}), "binh"
    )
    assert not RULES.allows(
        secretary, operation, GIANG_VO_CELL - {"gv-tdp-1"} | {"gv-tdp-2"}, "binh"
    )


@pytest.mark.parametrize(("operation", "role"), EVERY)
def test_only_a_whole_tree_grant_covers_what_cannot_be_placed(
    operation: Operation, role: Role
) -> None:
    assert RULES.allows(holder(role, None), operation, UNKNOWN, "binh") is (role in MAY[operation])
    assert not RULES.allows(holder(role, "ha-noi"), operation, UNKNOWN, "binh")


@pytest.mark.parametrize("operation", list(Operation))
def test_a_member_reaches_their_own_records_only_where_the_table_says(
    operation: Operation,
) -> None:
    an = Principal("u-an", "An", (Grant(MEMBER),), member_id="an")
    assert RULES.allows(an, operation, KIM_MA_CELL, "an") is (operation in ON_OWN_RECORD)
    assert RULES.allows(an, operation, UNKNOWN, "an") is (operation in ON_OWN_RECORD)
    assert not RULES.allows(an, operation, GIANG_VO_CELL, "binh")
    assert not RULES.allows(an, operation, UNKNOWN, None)


def test_a_member_id_without_the_member_role_is_nobodys_own_record() -> None:
    staff = Principal("u-1", "", (Grant(AUDITOR, "kim-ma"),), member_id="an")
    assert not RULES.allows(staff, Operation.SELF_ASSESS, UNKNOWN, "an")
    assert not RULES.allows(staff, Operation.READ_EVALUATION, GIANG_VO_CELL, "an")
    assert RULES.own_member(staff, Operation.READ_EVALUATION) is None


CHANGES = {
    Operation.ASSIGN_TASK,
    Operation.RECORD_ASSIGNMENT_RESULT,
    Operation.PROPOSE_RATING,
    Operation.ADD_SUPERVISION_FEEDBACK,
    Operation.ADD_HOST_CELL_FEEDBACK,
    Operation.FINALISE_RATING,
    Operation.REOPEN_RATING,
    Operation.SELF_ASSESS,
    Operation.SUBMIT_WORKPLACE_ASSESSMENTS,
}


def test_no_change_is_allowed_to_auditors_nor_to_assessors_and_systems_but_their_bulk() -> None:
    for operation in CHANGES:
        roles = RULES[operation].roles
        assert roles is not None, operation  # never any caller at all
        assert AUDITOR not in roles, operation
        if operation is not Operation.SUBMIT_WORKPLACE_ASSESSMENTS:
            assert not roles & {WA, INTEGRATION}, operation


def test_several_grants_add_up() -> None:
    both = Principal("u-2", "", (Grant(CS, "gv-tdp-1"), Grant(AUDITOR, "kim-ma")))
    assert RULES.allows(both, Operation.PROPOSE_RATING, GIANG_VO_CELL)
    assert not RULES.allows(both, Operation.PROPOSE_RATING, KIM_MA_CELL)
    assert RULES.allows(both, Operation.READ_EVALUATION, KIM_MA_CELL)
    auditors = RULES[Operation.READ_ACCESS_LOG].roles
    assert both.subtrees(auditors) == {"kim-ma"}
    assert holder(AUDITOR, None).subtrees(auditors) is None
    assert holder(CS, "gv-tdp-1").subtrees(auditors) == frozenset()


def test_who_holds_an_operation_anywhere() -> None:
    assert RULES.holds(holder(INTEGRATION, "giang-vo"), Operation.SUBMIT_WORKPLACE_ASSESSMENTS)
    assert not RULES.holds(holder(CS, None), Operation.SUBMIT_WORKPLACE_ASSESSMENTS)
    assert RULES.holds(holder(MEMBER, None), Operation.SELF_ASSESS)
    assert not RULES.holds(holder(MEMBER, None), Operation.READ_ACCESS_LOG)
