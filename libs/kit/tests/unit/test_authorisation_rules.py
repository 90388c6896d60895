"""The machinery of the services' authorisation tables: where a grant must be, own records,
and what a caller with no grant for a rule hears."""

from enum import Enum

import pytest
from kit.authorisation import EVERYONE, Rules, rule
from kit.errors import Forbidden
from kit.identity import Grant, Principal, Role


class Op(Enum):
    READ_TREE = "read the tree"
    CHANGE = "change an organisation"
    DECIDE = "decide, from anywhere"
    READ_OWN = "read a record, a member their own too"
    SELF = "only one's own record"


RULES: Rules[Op] = Rules(
    {
        Op.READ_TREE: EVERYONE,
        Op.CHANGE: rule(Role.WARD_COMMITTEE),
        Op.DECIDE: rule(Role.DISTRICT_STANDING, anywhere=True),
        Op.READ_OWN: rule(Role.CELL_SECRETARY, own_records=True),
        Op.SELF: rule(own_records=True),
    }
)
WARD = frozenset({"hn", "bd", "gv"})
OTHER_WARD = frozenset({"hn", "th", "tl"})


def holding(role: Role, at: str | None, member_id: str | None = None) -> Principal:
    return Principal("u-1", "Người", (Grant(role, at),), member_id=member_id)


def test_a_grant_covers_its_organisation_and_below_and_nothing_beside() -> None:
    ward = holding(Role.WARD_COMMITTEE, "gv")
    assert RULES.allows(ward, Op.CHANGE, WARD)
    assert not RULES.allows(ward, Op.CHANGE, OTHER_WARD)
    assert not RULES.allows(ward, Op.CHANGE, ())  # not established: only a whole-tree grant
    assert RULES.allows(holding(Role.WARD_COMMITTEE, None), Op.CHANGE, ())
    assert RULES.allows_any(ward, Op.CHANGE, [OTHER_WARD, WARD])
    assert RULES.subtrees(ward, Op.CHANGE) == {"gv"}


def test_a_rule_from_anywhere_wants_the_role_not_the_place() -> None:
    assert RULES.allows(holding(Role.DISTRICT_STANDING, "th"), Op.DECIDE, WARD)
    assert not RULES.allows(holding(Role.WARD_COMMITTEE, None), Op.DECIDE, WARD)


def test_everyone_reads_what_holds_no_personal_data() -> None:
    nobody = Principal("u-0", "Khách")
    assert RULES.allows(nobody, Op.READ_TREE, OTHER_WARD)
    assert RULES.subtrees(nobody, Op.READ_TREE) is None
    assert RULES.everywhere(nobody, Op.READ_TREE)


def test_a_member_reaches_their_own_records_and_no_one_elses() -> None:
    member = holding(Role.MEMBER, "gv", member_id="binh")
    assert RULES.allows(member, Op.READ_OWN, OTHER_WARD, member_id="binh")
    assert not RULES.allows(member, Op.READ_OWN, WARD, member_id="an")
    assert RULES.own_member(member, Op.SELF) == "binh"
    assert RULES.own_member(member, Op.CHANGE) is None
    assert RULES.holds(member, Op.SELF)
    secretary = holding(Role.CELL_SECRETARY, "gv", member_id="binh")  # not as a member
    assert not RULES.allows(secretary, Op.SELF, WARD, member_id="binh")


def test_a_caller_the_rule_admits_nowhere_is_refused_at_once() -> None:
    auditor = holding(Role.AUDITOR, None)
    with pytest.raises(Forbidden):
        RULES.require_some_right(auditor, Op.CHANGE)
    with pytest.raises(Forbidden):
        RULES.require(auditor, Op.CHANGE, WARD)
    assert RULES.subtrees(auditor, Op.CHANGE) == frozenset()
    RULES.require_some_right(holding(Role.WARD_COMMITTEE, "tl"), Op.CHANGE)
