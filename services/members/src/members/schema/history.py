# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""A member's history as the subgraph shows it: dated entries, the restructurings with their
decision."""

from collections.abc import Sequence
from datetime import date

import strawberry

from members import domain
from members.authorisation import Operation
from members.domain.history import HistoryEntry, history_of, moves_of
from members.domain.restructuring import OrganisationChange, RestructuringDecision
from members.schema.context import Context
from members.schema.entities import Organisation, organisation
from members.schema.enums import MemberHistoryKind
from members.schema.transfers import Transfer


@strawberry.type(description="The upper committee's decision [quyết định] of a restructuring")
class MemberHistoryDecision:
    number: str
    signer: str
    signed_on: date
    effective_on: date

    @classmethod
    def of(cls, decision: RestructuringDecision) -> "MemberHistoryDecision":
        return cls(
            number=decision.number,
            signer=decision.signer,
            signed_on=decision.signed_on,
            effective_on=decision.effective_on,
        )


@strawberry.type(
    description="A dated change of where the member's party activity is: the admission, a "
    "transfer received, or a restructuring their cell followed (no transfer letter)"
)
class MemberHistoryEntry:
    on: date = strawberry.field(
        description="The admission decision's date, the reception's, or the restructuring "
        "decision's effective date"
    )
    kind: MemberHistoryKind  # type: ignore[valid-type]
    from_organisation: Organisation | None = strawberry.field(
        description="Where from: the former cell (a transfer, a merged cell) or the former "
        "parent of what changed hands"
    )
    to_organisation: Organisation | None = strawberry.field(
        description="Where to: the new cell, or the new parent of what changed hands; null "
        "for an admission or a transfer out of the district"
    )
    organisation: Organisation | None = strawberry.field(
        description="A restructuring's: what changed hands, the member's cell or a committee "
        "above it"
    )
    restructuring_case_id: strawberry.ID | None
    decision: MemberHistoryDecision | None
    transfer: Transfer | None

    @classmethod
    def of(cls, entry: HistoryEntry) -> "MemberHistoryEntry":
        change = entry.restructuring
        return cls(
            on=entry.on,
            kind=entry.kind,
            from_organisation=organisation(entry.from_organisation_id),
            to_organisation=organisation(entry.to_organisation_id),
            organisation=organisation(change.organisation_id if change else None),
            restructuring_case_id=strawberry.ID(change.case_id) if change else None,
            decision=MemberHistoryDecision.of(change.decision) if change else None,
            transfer=Transfer.of(entry.transfer) if entry.transfer else None,
        )


async def member_history(info: Context, member: domain.PartyMember) -> list[MemberHistoryEntry]:
    """The member's history, oldest first; the transfers in it those the caller may read."""
    transfers = await _readable_transfers(info, member.id)
    return [MemberHistoryEntry.of(entry) for entry in history_of(member, transfers)]


async def person_moves(
    info: Context, person_id: str, restructurings: Sequence[OrganisationChange]
) -> list[MemberHistoryEntry]:
    """A candidate's moves, oldest first; the re-homings in them those the caller may read."""
    transfers = await _readable_transfers(info, person_id)
    return [MemberHistoryEntry.of(e) for e in moves_of(person_id, restructurings, transfers)]


async def _readable_transfers(info: Context, person_id: str) -> list[domain.Transfer]:
    scope = await info.context.access.scope(Operation.READ_TRANSFER)
    return list(
        await info.context.use_cases.transfers.find_transfers(person_id=person_id, scope=scope)
    )
