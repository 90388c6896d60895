"""What this service learns of the organisations' restructurings, and what they leave in a
member's history. Standard library only."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol, TypeVar


@dataclass(frozen=True)
class CellMerge:
    """An organisation that merged into another from the decision's effective date; when it
    is a cell, its people belong to the successor from then on."""

    case_id: str
    cell_id: str
    successor_id: str


@dataclass(frozen=True)
class RestructuringDecision:
    """The upper committee's decision [quyết định] that restructured the organisations."""

    number: str
    signer: str
    signed_on: date
    effective_on: date


@dataclass(frozen=True)
class ParentChange:
    """An organisation placed under another parent (a cell or committee handed over, the
    children of a merged or split committee)."""

    organisation_id: str
    from_parent_id: str | None
    to_parent_id: str


@dataclass(frozen=True)
class CompletedRestructuring:
    """A restructuring case completed: its kind (MERGE_NEW, MERGE_INTO, SPLIT, HAND_OVER),
    its decision, the organisations that changed parent and the cells that merged."""

    case_id: str
    kind: str
    decision: RestructuringDecision
    parent_changes: list[ParentChange]
    cell_merges: list[CellMerge]
    new_units: dict[str, str | None] = field(default_factory=dict)  # each one's parent

    def organisations_placed(self) -> list[str]:
        """The organisations the case puts somewhere in the tree: those moved, the new ones,
        and the parents they go under (whose ancestries the tree after it is built on)."""
        moved = [(c.organisation_id, c.to_parent_id) for c in self.parent_changes]
        pairs = [*moved, *self.new_units.items()]
        return sorted({o for pair in pairs for o in pair if o is not None})

    def ancestries_after(
        self, known: Mapping[str, frozenset[str]], organisation_ids: Iterable[str]
    ) -> dict[str, frozenset[str]]:
        """Each organisation with the ancestors it has once the case's moves and new units
        are in the tree, from each one's ancestry as known before them (`known`: those asked
        and the `organisations_placed`; one not known stands alone). Under a moved
        organisation, what is below it stays and what was above it is the new parent's."""
        parents = {
            **self.new_units,
            **{c.organisation_id: c.to_parent_id for c in self.parent_changes},
        }
        found: dict[str, frozenset[str]] = {}

        def after(organisation_id: str, seen: frozenset[str]) -> frozenset[str]:
            if organisation_id in found:
                return found[organisation_id]
            before = known.get(organisation_id, frozenset({organisation_id}))
            parent = parents.get(organisation_id)
            if parent is not None and parent not in seen:
                ancestry = after(parent, seen | {organisation_id}) | {organisation_id}
            else:
                above = [a for a in before - {organisation_id} if parents.get(a) and a not in seen]
                if above:  # under the deepest one placed: its new ancestry, then the rest
                    deepest = max(above, key=lambda a: len(known.get(a, ())))
                    rest = before - known.get(deepest, frozenset({deepest}))
                    ancestry = rest | after(deepest, seen | {organisation_id})
                else:
                    ancestry = before
            found[organisation_id] = ancestry
            return ancestry

        return {o: after(o, frozenset()) for o in organisation_ids}

    def change_for_cell_merge(self, merge: CellMerge) -> "OrganisationChange":
        """The entry of a merged cell's member: from the cell to the one it merged into."""
        return OrganisationChange(
            self.case_id, self.kind, self.decision, merge.cell_id, merge.cell_id, merge.successor_id
        )

    def change_for_parent_change(self, change: ParentChange) -> "OrganisationChange":
        """The entry of a member within an organisation placed under another parent: from the
        old parent to the new (the member stays in their cell)."""
        return OrganisationChange(
            self.case_id,
            self.kind,
            self.decision,
            change.organisation_id,
            change.from_parent_id,
            change.to_parent_id,
        )


@dataclass(frozen=True)
class OrganisationChange:
    """A dated entry of a member's history: the member's cell, or an organisation above it,
    changed hands in a restructuring [chuyển giao, hợp nhất, sáp nhập, chia tách] by the
    decision, from its effective date. No transfer letter: the member followed their cell."""

    case_id: str
    kind: str
    decision: RestructuringDecision
    organisation_id: str  # what changed hands: the member's cell or a committee above it
    from_organisation_id: str | None
    to_organisation_id: str

    @property
    def on(self) -> date:
        return self.decision.effective_on


class Follower(Protocol):
    """A person who follows their cell through restructurings: a member, a candidate."""

    @property
    def organisation_id(self) -> str | None: ...
    @property
    def restructurings(self) -> tuple[OrganisationChange, ...]: ...
    @property
    def version(self) -> int: ...


Followed = TypeVar("Followed", bound=Follower)


def followed(person: Followed, change: OrganisationChange, cell_id: str | None) -> Followed:
    """The person after their cell, or a committee above it, changed hands: the change kept
    with the others in the order they took effect; `cell_id`, their cell from then on when
    theirs merged."""
    restructurings = tuple(sorted((*person.restructurings, change), key=lambda c: c.on))
    return replace(  # type: ignore[type-var]  # members and candidates are dataclasses
        person,
        organisation_id=cell_id or person.organisation_id,
        restructurings=restructurings,
        version=person.version + 1,
    )


def has_followed(person: Follower, case_id: str) -> bool:
    return any(change.case_id == case_id for change in person.restructurings)


@dataclass(frozen=True)
class HandOverSigned:
    """The hand-over record of one organisation's member-list book [biên bản bàn giao sổ danh
    sách đảng viên] signed in a restructuring, with the people on the book when it was told."""

    case_id: str
    kind: str
    organisation_id: str  # the organisation given
    receiving_id: str | None  # HAND_OVER, MERGE_INTO
    new_units: tuple[str, ...]  # MERGE_NEW, SPLIT: the names of the organisations formed
    decision: RestructuringDecision
    signed_on: date
    giver_signer: str
    receiver_signer: str
    member_ids: tuple[str, ...] = ()
    candidate_ids: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return hand_over_id(self.case_id, self.organisation_id)


def hand_over_id(case_id: str, organisation_id: str) -> str:
    """A hand-over record is one per case and organisation given."""
    return f"{case_id}:{organisation_id}"
