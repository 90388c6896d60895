"""Supervision feedback: fellow members of a residential cell on the cadres it evaluates."""

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from evaluations.domain import (
    DomainError,
    Forbidden,
    Period,
    SupervisionFeedback,
    required_text,
)
from evaluations.service.ports import FeedbackRepository
from evaluations.service.roster import RosterService


class SupervisionService:
    def __init__(
        self,
        feedback: FeedbackRepository,
        roster: RosterService,
        clock: Callable[[], datetime],
    ) -> None:
        self.feedback = feedback
        self.roster = roster
        self.clock = clock

    async def add_supervision_feedback(
        self, member_id: str, by_member_id: str, period_text: str, comment: str
    ) -> SupervisionFeedback:
        """A fellow member of the same residential cell comments on a cadre member."""
        period = Period.parse(period_text)
        entry, cell_id = await self.roster.cell_for(member_id, period)
        if by_member_id == member_id:
            raise Forbidden("Members do not supervise themselves.", field="byMemberId")
        _, by_cell_id = await self.roster.cell_for(by_member_id, period)
        if by_cell_id != cell_id:
            raise Forbidden(
                f"Only members of the cell that evaluates {entry.full_name} for {period} "
                "may give supervision feedback.",
                organisationId=cell_id,
            )
        cell = await self.roster.organisation(cell_id)
        if cell is None or not cell.is_residential_cell:
            raise DomainError(
                "Supervision feedback is given within a residential cell [chi bộ địa bàn dân cư].",
                organisationId=cell_id,
            )
        if not entry.workplace_results_required:
            raise DomainError(
                f"{entry.full_name} is not a ward cadre, civil servant or non-specialised "
                "worker: supervision feedback is about them.",
                memberId=member_id,
            )
        feedback = SupervisionFeedback(
            id=str(uuid.uuid4()),
            member_id=member_id,
            by_member_id=by_member_id,
            cell_id=cell_id,
            period=period,
            comment=required_text(comment, "comment"),
            given_at=self.clock(),
        )
        await self.feedback.add(feedback)
        return feedback

    async def feedback_of(self, member_id: str, period: Period) -> list[SupervisionFeedback]:
        return await self.feedback.of_member(member_id, period)

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[SupervisionFeedback]]:
        """Each member's, oldest first, in one query (members with none left out)."""
        return await self.feedback.of_members(member_ids, period)
