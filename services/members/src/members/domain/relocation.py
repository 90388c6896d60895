"""Where a dissolved cell's members and candidates go. Standard library only."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from members.domain.candidates import AdmissionCandidate, CandidateStage
from members.domain.errors import DomainError
from members.domain.members import PartyMember
from members.domain.organisations import (
    DissolutionCase,
    KnownOrganisation,
    proposed_cell,
    require_internal_destination,
)
from members.domain.transfers import (
    PersonKind,
    Transfer,
    TransferKind,
    TransferReason,
    TransferState,
)

TRANSFER_IDS = uuid.UUID("6f6d2f3e-9c1b-5d0e-8a57-7061727479f0")


def relocation_transfer_id(case_id: str, person_id: str) -> str:
    """The same case and person always give the same transfer: redeliveries create nothing."""
    return str(uuid.uuid5(TRANSFER_IDS, f"{case_id}:{person_id}"))


@dataclass(frozen=True)
class Joining:
    """Someone who has just joined a cell's list: a registered member, a new candidate."""

    person_kind: PersonKind
    person_id: str
    cell_id: str


@dataclass(frozen=True)
class Placement:
    person_kind: PersonKind
    person_id: str
    person_name: str
    residential_group: str | None
    cell: KnownOrganisation | None


def proposed_placements(
    members: Sequence[PartyMember],
    candidates: Sequence[AdmissionCandidate],
    residential_cells: list[KnownOrganisation],
) -> list[Placement]:
    """For each member and candidate: the residential cell covering their group, or none."""
    people: list[tuple[PersonKind, str, str, str | None]] = [
        (
            PersonKind.MEMBER,
            m.id,
            m.full_name,
            m.residence.residential_group if m.residence else None,
        )
        for m in members
    ] + [
        (
            PersonKind.CANDIDATE,
            c.id,
            c.full_name,
            c.residence.residential_group if c.residence else None,
        )
        for c in candidates
        if c.stage not in (CandidateStage.ADMITTED, CandidateStage.WITHDRAWN)
    ]
    return [
        Placement(kind, person_id, name, group, proposed_cell(group, residential_cells))
        for kind, person_id, name, group in people
    ]


def relocation_transfers(
    case: DissolutionCase,
    placements: Sequence[Placement],
    overrides: Mapping[str, str],
    cells_by_id: Mapping[str, KnownOrganisation],
    decided_on: date,
) -> list[Transfer]:
    """One INTERNAL transfer per person: to the plan's override, else the proposal, else none."""
    transfers = []
    for placement in placements:
        destination, note = placement.cell, None
        override_id = overrides.get(placement.person_id)
        if override_id is not None:
            override = cells_by_id.get(override_id)
            try:
                if override is None:
                    raise DomainError(f"the plan's destination {override_id} is unknown")
                require_internal_destination(override, case.ward_committee_id, decided_on)
                destination = override
            except DomainError as refused:
                destination, note = None, f"The plan's placement was not applied: {refused}"
        transfers.append(
            Transfer(
                id=relocation_transfer_id(case.id, placement.person_id),
                person_kind=placement.person_kind,
                person_id=placement.person_id,
                person_name=placement.person_name,
                kind=TransferKind.INTERNAL,
                reason=TransferReason.CELL_DISSOLVED,
                from_organisation_id=case.cell_id,
                ward_committee_id=case.ward_committee_id,
                to_organisation_id=destination.id if destination else None,
                destination_name=destination.name if destination else None,
                state=TransferState.AWAITING_INTRODUCTION
                if destination
                else TransferState.NEEDS_DESTINATION,
                requested_on=decided_on,
                case_id=case.id,
                note=note,
            )
        )
    return transfers
