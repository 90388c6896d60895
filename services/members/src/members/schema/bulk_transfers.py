# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""The bulk steps of a dissolution: many transfers introduced or received in one call, each
answered on its own (a refused one stops none of the others)."""

import asyncio
from collections.abc import Sequence
from datetime import date
from enum import Enum

import strawberry
from kit.errors import Forbidden

from members import domain
from members.authorisation import Operation
from members.schema.context import Context
from members.schema.inputs import TransferChecklistInput
from members.schema.transfers import Transfer
from members.service.transfers_in_bulk import Outcome, letter_number


@strawberry.enum(description="What a bulk step did to one transfer")
class StepOutcome(Enum):
    DONE = "DONE"
    UNCHANGED = strawberry.enum_value("UNCHANGED", description="Done already, as asked")
    REFUSED = "REFUSED"


@strawberry.type(description="One transfer of a bulk step")
class TransferStepResult:
    transfer_id: strawberry.ID
    outcome: StepOutcome
    code: str | None = strawberry.field(
        description="Why it was refused: NOT_FOUND, FORBIDDEN, INVALID_TRANSITION, "
        "BAD_USER_INPUT or CONFLICT (the codes of the one-by-one mutation)"
    )
    reason: str | None
    field: str | None = strawberry.field(description="The input field the refusal is about")
    transfer: Transfer | None = strawberry.field(description="As it stands after the step")


@strawberry.type(description="A bulk step's transfers, in the order named, with the counts")
class TransferSteps:
    done: int
    unchanged: int
    refused: int
    items: list[TransferStepResult]


@strawberry.input(
    description="The transfers of a bulk step: `transferIds`, or those of `caseId` (all, or "
    "those to `toOrganisationId`) in name order"
)
class TransferSelection:
    transfer_ids: list[strawberry.ID] | None = None
    case_id: strawberry.ID | None = None
    to_organisation_id: strawberry.ID | None = None


@strawberry.input
class IssueIntroductionsInput:
    transfers: TransferSelection
    letter_series: str = strawberry.field(
        description="The letters are numbered `<n>-<letterSeries>` in the order of the "
        "transfers, from `firstNumber`: `01-GGT/ĐU`, `02-GGT/ĐU`, … (a re-run numbers alike)"
    )
    issued_on: date
    first_number: int = 1
    checklist: TransferChecklistInput | None = None


@strawberry.input
class ReceiveTransfersInput:
    transfers: TransferSelection
    received_on: date


Refusal = domain.DomainError | Forbidden


Named = tuple[str, domain.Transfer | Refusal]


async def permitted(
    info: Context, operation: Operation, selection: TransferSelection
) -> list[Named]:
    """Each transfer named with its id, if the caller may run the step on it, else why not.
    An unknown id is NOT_FOUND to a whole-tree holder, FORBIDDEN to everyone else; of a case,
    only the transfers the caller may read are named."""
    access = info.context.access
    access.require_some_right(operation)
    found = await info.context.use_cases.transfers_in_bulk.selected(
        selection.transfer_ids, selection.case_id, selection.to_organisation_id
    )
    if selection.case_id is not None:
        of_case = [item for item in found if isinstance(item, domain.Transfer)]
        found = list(await access.keep(Operation.READ_TRANSFER, of_case))
    everywhere = access.everywhere(operation)

    async def checked(item: domain.Transfer | domain.NotFound) -> Named:
        if isinstance(item, domain.NotFound):
            return str(item.details["id"]), item if everywhere else Forbidden()
        return item.id, item if await access.allows(operation, item) else Forbidden()

    return list(await asyncio.gather(*(checked(item) for item in found)))


def transfers_in(named: Sequence[Named]) -> list[domain.Transfer]:
    return [item for _, item in named if isinstance(item, domain.Transfer)]


def answered(named: Sequence[Named], done: Sequence[Outcome]) -> TransferSteps:
    by_id = {outcome.transfer_id: outcome for outcome in done}
    items = [
        result_of(transfer_id, by_id[transfer_id])
        if isinstance(item, domain.Transfer)
        else refused(transfer_id, item)
        for transfer_id, item in named
    ]
    return TransferSteps(
        done=sum(i.outcome is StepOutcome.DONE for i in items),
        unchanged=sum(i.outcome is StepOutcome.UNCHANGED for i in items),
        refused=sum(i.outcome is StepOutcome.REFUSED for i in items),
        items=items,
    )


def result_of(transfer_id: str, outcome: Outcome) -> TransferStepResult:
    if outcome.refusal is not None or outcome.transfer is None:
        return refused(transfer_id, outcome.refusal)
    return TransferStepResult(
        transfer_id=strawberry.ID(transfer_id),
        outcome=StepOutcome.UNCHANGED if outcome.unchanged else StepOutcome.DONE,
        code=None,
        reason=None,
        field=None,
        transfer=Transfer.of(outcome.transfer),
    )


def refused(transfer_id: str, refusal: Refusal | None) -> TransferStepResult:
    details = refusal.details if isinstance(refusal, domain.DomainError) else {}
    return TransferStepResult(
        transfer_id=strawberry.ID(transfer_id),
        outcome=StepOutcome.REFUSED,
        code=refusal.code if refusal is not None else None,
        reason=str(refusal) if refusal is not None else None,
        field=str(details["field"]) if "field" in details else None,
        transfer=None,
    )


@strawberry.type
class BulkTransferMutation:
    @strawberry.mutation(
        description="Record the introduction letters of many transfers at once, numbered in "
        "order (the ward committee of the cells they leave); each transfer answered on its own"
    )
    async def issue_introductions(
        self, info: Context, input: IssueIntroductionsInput
    ) -> TransferSteps:
        if input.first_number < 1:
            raise domain.DomainError("Letters are numbered from 1.", field="firstNumber")
        if not input.letter_series.strip():
            raise domain.DomainError("Name the letters' series.", field="letterSeries")
        named = await permitted(info, Operation.RUN_TRANSFER, input.transfers)
        letters = [
            (item, letter_number(input.letter_series, input.first_number + n))
            for n, (_, item) in enumerate(named)
            if isinstance(item, domain.Transfer)
        ]
        checklist = input.checklist.to_domain() if input.checklist else None
        done = await info.context.use_cases.transfers_in_bulk.issue_introductions(
            letters, input.issued_on, checklist
        )
        return answered(named, done)

    @strawberry.mutation(
        description="The receiving cells record many people at once (a dissolved cell's, by "
        "caseId); each transfer answered on its own"
    )
    async def receive_transfers(self, info: Context, input: ReceiveTransfersInput) -> TransferSteps:
        named = await permitted(info, Operation.RECEIVE_TRANSFER, input.transfers)
        done = await info.context.use_cases.transfers_in_bulk.receive(
            transfers_in(named), input.received_on
        )
        return answered(named, done)
