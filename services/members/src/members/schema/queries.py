# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""The members subgraph's queries: thin over the use cases."""

from collections.abc import Collection
from typing import Annotated

import strawberry
from kit.audit import access_log_field

from members.authorisation import Operation
from members.schema.access import Cell
from members.schema.candidates import AdmissionCandidate
from members.schema.context import (
    Context,
)
from members.schema.enums import (
    Standing,
    TransferState,
)
from members.schema.members import (
    AWAY,
    DEFAULT_PAGE,
    PartyMember,
    PartyMemberConnection,
    member_page,
    scope_of_list,
)
from members.schema.transfers import Transfer


async def audited_organisations(info: Context) -> Collection[str] | None:
    """The organisations whose persons' reads the caller audits (None: the whole tree)."""
    access = info.context.access
    access.require_some_right(Operation.READ_ACCESS_LOG)
    return (await access.scope(Operation.READ_ACCESS_LOG)).organisation_ids


@strawberry.type
class Query:
    @strawberry.field
    async def member(self, info: Context, id: strawberry.ID) -> PartyMember:
        member = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.use_cases.members.member(id)
        )
        return PartyMember.of(member)

    @strawberry.field
    async def member_by_card(self, info: Context, card_number: str) -> PartyMember:
        member = await info.context.access.fetch(
            Operation.READ_PERSON,
            lambda: info.context.use_cases.members.member_by_card(card_number),
        )
        return PartyMember.of(member)

    @strawberry.field(
        description="Members by cell and standing; `search` matches name or card number, "
        "diacritics and case ignored"
    )
    async def members(
        self,
        info: Context,
        organisation_id: strawberry.ID | None = None,
        standing: Standing | None = None,  # type: ignore[valid-type]
        search: str | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        away: Annotated[bool | None, strawberry.argument(description=AWAY)] = None,
    ) -> PartyMemberConnection:
        return PartyMemberConnection.of(
            await member_page(info, organisation_id, standing, search, first, after, away),
            PartyMember.of,
        )

    @strawberry.field
    async def transfer(self, info: Context, id: strawberry.ID) -> Transfer:
        transfer = await info.context.access.fetch(
            Operation.READ_TRANSFER, lambda: info.context.use_cases.transfers.transfer(id)
        )
        return Transfer.of(transfer)

    @strawberry.field(description="Transfers by state, lateness, and cell (leaving or receiving)")
    async def transfers(
        self,
        info: Context,
        state: TransferState | None = None,  # type: ignore[valid-type]
        overdue: bool | None = None,
        organisation_id: strawberry.ID | None = None,
        overdue_reason_recorded: Annotated[
            bool | None,
            strawberry.argument(
                description="false: those without a recorded reason for the delay (with "
                "overdue: true, the late transfers that still need one); true: those with one"
            ),
        ] = None,
    ) -> list[Transfer]:
        scope = await scope_of_list(info, Operation.READ_TRANSFER, organisation_id)
        found = await info.context.use_cases.transfers.find_transfers(
            state=state,
            overdue=overdue,
            reason_recorded=overdue_reason_recorded,
            organisation_id=organisation_id,
            scope=scope,
        )
        return [Transfer.of(t) for t in found]

    @strawberry.field(
        description="Probationary members [đảng viên dự bị] of an organisation's whole subtree "
        "(a ward: all its cells), or of the caller's scope, in name order — kept to those whose "
        "admission ceremony is late, or whose recognition as official is overdue, when asked"
    )
    async def probationary_members(
        self,
        info: Context,
        organisation_id: strawberry.ID | None = None,
        ceremony_late: bool | None = None,
        recognition_overdue: bool | None = None,
    ) -> list[PartyMember]:
        access, use_cases = info.context.access, info.context.use_cases
        if organisation_id is None:
            access.require_some_right(Operation.READ_PERSON)
            scope = await access.scope(Operation.READ_PERSON)
        else:
            await access.require(Operation.READ_PERSON, Cell(organisation_id))
            scope = await use_cases.members.subtree_scope(organisation_id)
        found = await use_cases.members.probationers_due(scope, ceremony_late, recognition_overdue)
        return [PartyMember.of(member) for member in found]

    @strawberry.field
    async def candidate(self, info: Context, id: strawberry.ID) -> AdmissionCandidate:
        candidate = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.use_cases.candidates.candidate(id)
        )
        return AdmissionCandidate.of(candidate)

    @strawberry.field(description="Candidates of a cell, or by name (diacritics ignored)")
    async def candidates(
        self,
        info: Context,
        organisation_id: strawberry.ID | None = None,
        search: str | None = None,
    ) -> list[AdmissionCandidate]:
        scope = await scope_of_list(info, Operation.READ_PERSON, organisation_id)
        found = await info.context.use_cases.candidates.find_candidates(
            organisation_id, search, scope
        )
        return [AdmissionCandidate.of(c) for c in found]

    member_data_access_log = access_log_field(
        "Who read which personal fields of whom, newest first (auditors; a scoped auditor sees "
        "the persons of their subtrees) [nhật ký truy cập dữ liệu cá nhân]",
        within=audited_organisations,
    )
