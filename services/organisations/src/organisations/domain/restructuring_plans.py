"""Whether a restructuring case can happen on the tree as it stands, and what it does to the
tree: who moves under whom, who ceases in favour of whom."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from organisations.domain.errors import DomainError
from organisations.domain.hierarchy import Organisation, OrganisationKind, OrganisationStatus
from organisations.domain.restructuring import (
    Cessation,
    Move,
    Outcome,
    RestructuringCase,
    RestructuringKind,
    city_of,
)


@dataclass(frozen=True)
class Tree:
    """The organisations a case concerns, as read when it is checked: its sources, the
    receiving organisation, the new units' parents, and each source's active children."""

    organisations: Mapping[str, Organisation]
    children: Mapping[str, Sequence[Organisation]]

    def __getitem__(self, organisation_id: str) -> Organisation:
        return self.organisations[organisation_id]


def check_plan(case: RestructuringCase, tree: Tree) -> None:
    """Refuse a case that cannot happen: sources not active or restructured twice, a merge
    into an organisation no longer active, a cycle, a kind out of place, another city."""
    sources = [tree[s] for s in case.source_ids]
    if not sources:
        raise DomainError("A restructuring names the organisations it concerns.", field="sourceIds")
    if len(set(case.source_ids)) != len(case.source_ids):
        raise DomainError("An organisation is named twice.", field="sourceIds")
    for source in sources:
        if source.kind is OrganisationKind.CITY_COMMITTEE:
            raise DomainError("A city committee is not restructured here.", field="sourceIds")
        _require_active(source, "sourceIds")
    city = city_of(sources[0])
    receiving = [tree[r] for r in case.receiving_ids]
    for other in [*sources, *receiving]:
        if city_of(other) != city:
            raise DomainError(
                f"{other.name} belongs to another city: a restructuring stays within one city.",
                field="receivingId",
                organisationId=other.id,
            )
    for destination in receiving:
        _require_active(destination, "receivingId")
        for source in sources:
            if source.id in destination.ancestry:
                raise DomainError(
                    f"{destination.name} lies within {source.name}: that would make a cycle.",
                    field="receivingId",
                    organisationId=destination.id,
                )
    _check_kind(case, sources, receiving, tree)


def _check_kind(
    case: RestructuringCase,
    sources: list[Organisation],
    receiving: list[Organisation],
    tree: Tree,
) -> None:
    kinds = {s.kind for s in sources}
    if case.kind is RestructuringKind.HAND_OVER:
        (committee,) = receiving
        for source in sources:
            committee.accept_child(source.kind)
            if source.parent_id == committee.id:
                raise DomainError(
                    f"{source.name} already belongs to {committee.name}.", field="receivingId"
                )
        return
    if case.kind is RestructuringKind.END:
        _check_end(sources, receiving)
        return
    if len(kinds) != 1:
        raise DomainError("Only organisations of one kind are merged.", field="sourceIds")
    (kind,) = kinds
    if case.kind is RestructuringKind.MERGE_INTO:
        (target,) = receiving
        if target.kind is not kind or target.id in case.source_ids:
            raise DomainError(
                f"{target.name} is not another organisation of the same kind.",
                field="receivingId",
            )
        return
    for parent in receiving:
        parent.accept_child(kind)
    if case.kind is RestructuringKind.MERGE_NEW:
        if len(sources) < 2 or len(case.new_units) != 1:
            raise DomainError(
                "A merge into a new organisation [hợp nhất] joins two or more into one.",
                field="sourceIds",
            )
        return
    if len(sources) != 1 or len(case.new_units) < 2:
        raise DomainError("A split [chia tách] divides one organisation into two or more.")
    source = sources[0]
    if source.kind is OrganisationKind.CELL:
        raise DomainError(
            "A cell is divided by dissolving it with placements, not split here.",
            field="sourceIds",
        )
    children = {c.id for c in tree.children.get(source.id, ())}
    given = [child for unit in case.new_units for child in unit.child_ids]
    if sorted(given) != sorted(children):
        raise DomainError(
            f"Each active organisation under {source.name} goes to exactly one new unit.",
            field="newUnits",
        )


def _check_end(sources: list[Organisation], receiving: list[Organisation]) -> None:
    """A committee ends [kết thúc hoạt động] handing its records to a committee above it."""
    if len(receiving) != 1:
        raise DomainError(
            "An ending committee names the committee above it that takes its records.",
            field="receivingId",
        )
    (records_to,) = receiving
    for source in sources:
        if source.kind is OrganisationKind.CELL:
            raise DomainError(
                "A cell ends by dissolution (dissolution cases), not here.", field="sourceIds"
            )
        if records_to.id not in source.ancestor_ids:
            raise DomainError(
                f"{records_to.name} is not above {source.name}: the records of an ending "
                "committee go up.",
                field="receivingId",
            )


def outcome_of(case: RestructuringCase, tree: Tree) -> Outcome:
    """What completing the case does to the tree as it stands now."""
    moves: list[Move] = []
    cessations: list[Cessation] = []
    if case.kind is RestructuringKind.END:
        for source in case.source_ids:
            if active := tree.children.get(source, ()):
                raise DomainError(
                    f"{tree[source].name} still has {len(active)} active organisation(s) under "
                    "it: hand them over or merge them first.",
                    field="sourceIds",
                    organisationId=source,
                )
            cessations.append(Cessation(source, OrganisationStatus.ENDED, []))
        return Outcome(moves, cessations)
    if case.kind is RestructuringKind.HAND_OVER:
        assert case.receiving_id is not None
        for source in case.source_ids:
            moves.append(
                Move(source, tree[source].parent_id, case.receiving_id, case.new_codes.get(source))
            )
        return Outcome(moves, cessations)
    if case.kind is RestructuringKind.SPLIT:
        (source,) = case.source_ids
        for unit in case.new_units:
            moves.extend(Move(child, source, unit.id) for child in unit.child_ids)
        successors = [unit.id for unit in case.new_units]
        return Outcome(moves, [Cessation(source, OrganisationStatus.SPLIT, successors)])
    successor = case.receiving_id or case.new_units[0].id
    for source in case.source_ids:
        moves.extend(Move(child.id, source, successor) for child in tree.children.get(source, ()))
        cessations.append(Cessation(source, OrganisationStatus.MERGED, [successor]))
    return Outcome(moves, cessations)


def _require_active(organisation: Organisation, name: str) -> None:
    if not organisation.is_active:
        raise DomainError(
            f"{organisation.name} is {organisation.status.value}: it takes no part in a "
            "restructuring.",
            field=name,
            organisationId=organisation.id,
            status=organisation.status.value,
        )
