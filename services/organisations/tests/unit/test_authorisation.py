"""The organisations rows of the authorisation table: every role, in its scope and out of it,
for each operation family — written out here independently of the module's own table."""

import pytest
from kit.identity import Grant, Principal, Role
from organisations.authorisation import RULES, STEPS, Operation
from organisations.domain import Step

# Two districts of one city, each with a ward and its agency cell; and the mirror of Tây Hồ in
# another city, out of the city committee's scope.
ANCESTRY = {
    "hn": {"hn"},
    "bd": {"hn", "bd"},
    "gv": {"hn", "bd", "gv"},
    "gv-cq": {"hn", "bd", "gv", "gv-cq"},
    "th": {"hn", "th"},
    "tl": {"hn", "th", "tl"},
    "tl-cq": {"hn", "th", "tl", "tl-cq"},
    "hp-th": {"hp", "hp-th"},
    "hp-tl": {"hp", "hp-th", "hp-tl"},
    "hp-tl-cq": {"hp", "hp-th", "hp-tl", "hp-tl-cq"},
}
# Where each role's grant naturally sits, in Ba Đình.
GRANTED_AT = {
    Role.CITY_COMMITTEE: "hn",
    Role.DISTRICT_STANDING: "bd",
    Role.WARD_COMMITTEE: "gv",
    Role.CELL_SECRETARY: "gv-cq",
    Role.WORKPLACE_ASSESSOR: "bd",
    Role.INTEGRATION: "bd",
    Role.MEMBER: "gv-cq",
    Role.AUDITOR: "bd",
}
# The organisation each operation concerns in Ba Đình, and its mirror in Tây Hồ.
CONCERNS = {
    Operation.READ_TREE: ("gv-cq", "tl-cq"),
    Operation.CHANGE_TREE: ("gv", "tl"),  # e.g. the parent of a new cell
    Operation.ISSUE_DIRECTIVE: ("bd", "th"),
    Operation.LAUNCH_CAMPAIGN: ("bd", "th"),
    Operation.READ_CASES: ("gv-cq", "tl-cq"),
    Operation.RUN_CASE: ("gv-cq", "tl-cq"),
    Operation.REVIEW_PLAN: ("gv-cq", "tl-cq"),
    Operation.RESTRUCTURE: ("gv-cq", "tl-cq"),
    Operation.RECORD_HANDOVER: ("gv-cq", "tl-cq"),
    Operation.ACCEPT_RESTRUCTURING: ("gv", "tl"),
    Operation.READ_RESTRUCTURING: ("gv-cq", "tl-cq"),
    Operation.SET_TODAY: ("bd", "th"),
    Operation.READ_ACCESS_LOG: ("gv-cq", "tl-cq"),
}
EVERYONE = frozenset(Role)
# the city standing committee does over the city what the district did over the district
STANDING = {Role.CITY_COMMITTEE, Role.DISTRICT_STANDING}
READERS = {*STANDING, Role.WARD_COMMITTEE, Role.CELL_SECRETARY, Role.AUDITOR}
ALLOWED_IN_SCOPE = {
    Operation.READ_TREE: EVERYONE,
    Operation.CHANGE_TREE: STANDING,
    Operation.ISSUE_DIRECTIVE: STANDING,
    Operation.LAUNCH_CAMPAIGN: STANDING,
    Operation.READ_CASES: READERS,
    Operation.RUN_CASE: {Role.WARD_COMMITTEE},
    Operation.REVIEW_PLAN: STANDING,
    Operation.RESTRUCTURE: STANDING,
    Operation.RECORD_HANDOVER: {*STANDING, Role.WARD_COMMITTEE},
    Operation.ACCEPT_RESTRUCTURING: {*STANDING, Role.WARD_COMMITTEE},
    Operation.READ_RESTRUCTURING: READERS,
    Operation.SET_TODAY: STANDING,
    Operation.READ_ACCESS_LOG: {Role.AUDITOR},
}
# Out of scope only what holds no personal data, or needs the role anywhere, stays allowed.
ALLOWED_OUT_OF_SCOPE = {
    Operation.READ_TREE: EVERYONE,
    Operation.ISSUE_DIRECTIVE: STANDING,
    Operation.SET_TODAY: STANDING,
}
MUTATIONS = {
    Operation.RESTRUCTURE,
    Operation.RECORD_HANDOVER,
    Operation.ACCEPT_RESTRUCTURING,
    Operation.CHANGE_TREE,
    Operation.ISSUE_DIRECTIVE,
    Operation.LAUNCH_CAMPAIGN,
    Operation.RUN_CASE,
    Operation.REVIEW_PLAN,
    Operation.SET_TODAY,
}


def holding(role: Role, at: str | None) -> Principal:
    return Principal(f"u-{role.value.lower()}", role.value, (Grant(role, at),), member_id="m-1")


@pytest.mark.parametrize("in_scope", [True, False], ids=["own scope", "other scope"])
@pytest.mark.parametrize("operation", list(Operation), ids=lambda o: o.name)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_every_role_in_and_out_of_its_scope(
    role: Role, operation: Operation, in_scope: bool
) -> None:
    own, other = CONCERNS[operation]
    allowed = (ALLOWED_IN_SCOPE if in_scope else ALLOWED_OUT_OF_SCOPE).get(operation, set())
    principal = holding(role, GRANTED_AT[role])
    if role is Role.CITY_COMMITTEE:  # its scope is the whole city: out of it, another city
        other = f"hp-{other}"
    assert RULES.allows(principal, operation, ANCESTRY[own if in_scope else other]) == (
        role in allowed
    )


def test_the_table_has_a_rule_for_every_operation() -> None:
    assert set(RULES.table) == set(Operation) == set(ALLOWED_IN_SCOPE) == set(CONCERNS)


@pytest.mark.parametrize("operation", sorted(MUTATIONS, key=lambda o: o.name), ids=str)
def test_auditors_and_city_systems_change_nothing(operation: Operation) -> None:
    for role in (Role.AUDITOR, Role.WORKPLACE_ASSESSOR, Role.INTEGRATION, Role.MEMBER):
        assert not RULES.allows(holding(role, None), operation, ANCESTRY["gv-cq"])


def test_every_step_a_person_takes_has_its_family_and_the_close_is_the_systems() -> None:
    assert STEPS == {
        Step.RECORD_DISSEMINATION: Operation.RUN_CASE,
        Step.SUBMIT_PLAN: Operation.RUN_CASE,
        Step.RECORD_ANNOUNCEMENT: Operation.RUN_CASE,
        Step.APPROVE_PLAN: Operation.REVIEW_PLAN,
        Step.RETURN_PLAN: Operation.REVIEW_PLAN,
        Step.ISSUE_DECISION: Operation.RUN_CASE,
    }
    assert Step.CLOSE not in STEPS


def test_nothing_is_covered_by_a_scoped_grant_when_there_is_no_ancestry() -> None:
    """A root has no parent and an unknown id no ancestry: only a whole-tree grant passes."""
    assert not RULES.allows(holding(Role.DISTRICT_STANDING, "hn"), Operation.CHANGE_TREE, ())
    assert RULES.allows(holding(Role.DISTRICT_STANDING, None), Operation.CHANGE_TREE, ())
    assert not RULES.allows(holding(Role.AUDITOR, "bd"), Operation.READ_CASES, ())
    assert RULES.allows(holding(Role.AUDITOR, None), Operation.READ_CASES, ())


def test_a_grant_covers_its_subtree_and_nothing_above_or_beside_it() -> None:
    cell_secretary = holding(Role.CELL_SECRETARY, "gv-cq")
    assert RULES.allows(cell_secretary, Operation.READ_CASES, ANCESTRY["gv-cq"])
    assert not RULES.allows(cell_secretary, Operation.READ_CASES, ANCESTRY["gv"])
    ward = holding(Role.WARD_COMMITTEE, "gv")
    assert not RULES.allows(ward, Operation.RUN_CASE, ANCESTRY["bd"])
    assert not RULES.allows(ward, Operation.RUN_CASE, ANCESTRY["tl-cq"])


def test_a_caller_without_grants_reads_the_tree_and_nothing_else() -> None:
    nobody = Principal("u-0", "Khách")
    assert [o for o in Operation if RULES.allows(nobody, o, ANCESTRY["gv-cq"])] == [
        Operation.READ_TREE
    ]
    assert RULES.subtrees(nobody, Operation.READ_CASES) == frozenset()
    assert RULES.subtrees(nobody, Operation.READ_TREE) is None


def test_the_subtrees_of_a_list_are_the_roots_of_the_callers_grants_for_it() -> None:
    both = Principal(
        "u-2",
        "Hai vai",
        (Grant(Role.WARD_COMMITTEE, "gv"), Grant(Role.AUDITOR, "th"), Grant(Role.MEMBER, "tl")),
    )
    assert RULES.subtrees(both, Operation.READ_CASES) == {"gv", "th"}
    assert RULES.subtrees(both, Operation.RUN_CASE) == {"gv"}
    assert RULES.subtrees(holding(Role.AUDITOR, None), Operation.READ_CASES) is None
