"""What the nested fields of a list of evaluations read, batched per request (DataLoaders): one
query per kind of record for the whole list, not one per evaluation."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from graphql import OperationType
from strawberry.dataloader import DataLoader

from evaluations.domain import (
    Assignment,
    Evaluation,
    FinalisedRatings,
    Finding,
    HostCellFeedback,
    Period,
    RosterEntry,
    SupervisionFeedback,
    WorkplaceAssessment,
)
from evaluations.service import UseCases

if TYPE_CHECKING:  # the context holds a request's loaders
    from evaluations.schema.context import Context

T = TypeVar("T")
MemberPeriod = tuple[str, Period]
WardPeriod = tuple[tuple[str, ...], Period]


def per_member(
    fetch: Callable[[Sequence[str], Period], Awaitable[dict[str, list[T]]]],
) -> Callable[[Sequence[MemberPeriod]], Awaitable[list[list[T]]]]:
    """A batch function over (member, period) keys from one that reads many members of one
    period: one read per period."""

    async def load(keys: Sequence[MemberPeriod]) -> list[list[T]]:
        periods = list(dict.fromkeys(period for _, period in keys))
        found = await asyncio.gather(
            *(fetch(sorted({m for m, p in keys if p == period}), period) for period in periods)
        )
        of_period = dict(zip(periods, found, strict=True))
        return [of_period[period].get(member_id, []) for member_id, period in keys]

    return load


class Loaders:
    def __init__(self, use_cases: UseCases) -> None:
        self.findings = use_cases.findings
        self.assignments: DataLoader[MemberPeriod, list[Assignment]] = DataLoader(
            per_member(use_cases.assignments.of_members)
        )
        self.assessments: DataLoader[MemberPeriod, list[WorkplaceAssessment]] = DataLoader(
            per_member(use_cases.workplace.of_members)
        )
        self.feedback: DataLoader[MemberPeriod, list[SupervisionFeedback]] = DataLoader(
            per_member(use_cases.supervision.of_members)
        )
        self.host_feedback: DataLoader[MemberPeriod, list[HostCellFeedback]] = DataLoader(
            per_member(use_cases.hosting.of_members)
        )
        self.entries: DataLoader[str, RosterEntry | None] = DataLoader(use_cases.roster.entries)
        self.ward_cells: DataLoader[str, list[str]] = DataLoader(
            use_cases.roster.grassroots_cells_of
        )
        self.finalised: DataLoader[WardPeriod, FinalisedRatings] = DataLoader(self._load_finalised)

    async def _load_finalised(self, keys: Sequence[WardPeriod]) -> list[FinalisedRatings]:
        return list(
            await asyncio.gather(
                *(self.findings.finalised_ratings(cells, period) for cells, period in keys)
            )
        )

    async def policy_findings(self, evaluation: Evaluation) -> list[Finding]:
        """`PolicyFindings.policy_findings`, each record read once for the whole list."""
        entry = await self.entries.load(evaluation.member_id)
        if entry is None:
            return []
        assessed, cells = await asyncio.gather(
            self.assessments.load((evaluation.member_id, evaluation.period)),
            self.ward_cells.load(evaluation.cell_id),
        )
        ward = await self.finalised.load((tuple(cells), evaluation.period))
        return self.findings.findings_among(evaluation, entry, assessed, ward)


def loaders_of(info: "Context") -> Loaders:
    """One set of loaders per query; per mutation of a request, one for its answer, made after
    its writes (mutations run one after the other, each answered before the next: what a
    loader read for an earlier one would be stale for a later one)."""
    if info.operation.operation is not OperationType.MUTATION:
        return info.context.loaders
    path = info.path
    while path.prev is not None:
        path = path.prev
    mutation = str(path.key)
    answers = info.context.answer_loaders
    if mutation not in answers:
        answers[mutation] = Loaders(info.context.use_cases)
    return answers[mutation]
