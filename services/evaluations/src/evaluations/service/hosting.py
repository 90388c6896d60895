"""Host cells' feedback on the members they take in for a TEMPORARY stay [sinh hoạt tạm thời]:
the home cell ranks the member and reads what the host says of the periods it hosted."""

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from evaluations.domain import Forbidden, HostCellFeedback, Period, required_text
from evaluations.service.commands import AddHostFeedback
from evaluations.service.ports import HostFeedbackRepository
from evaluations.service.roster import RosterService


class HostFeedbackService:
    def __init__(
        self,
        feedback: HostFeedbackRepository,
        roster: RosterService,
        clock: Callable[[], datetime],
    ) -> None:
        self.feedback = feedback
        self.roster = roster
        self.clock = clock

    async def add_host_feedback(
        self, command: AddHostFeedback, by: str, by_subject: str
    ) -> HostCellFeedback:
        """The host cell comments on a member it hosted during the period, for the home cell
        that ranks them; a cell that did not host them then may not."""
        c, host_cell_id = command, command.host_cell_id
        period = Period.parse(c.period)
        [entry] = await self.roster.entries([c.member_id])
        if entry is None or host_cell_id not in entry.hosts_for(period):
            raise Forbidden(
                f"Only a cell that hosted the member on a TEMPORARY stay during {period} gives "
                "feedback on them for it.",
                organisationId=host_cell_id,
                period=str(period),
            )
        feedback = HostCellFeedback(
            id=str(uuid.uuid4()),
            member_id=c.member_id,
            host_cell_id=host_cell_id,
            period=period,
            comment=required_text(c.comment, "comment"),
            given_by=required_text(by, "by"),
            given_by_subject=by_subject,
            given_at=self.clock(),
        )
        await self.feedback.add(feedback)
        return feedback

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[HostCellFeedback]]:
        """Each member's, oldest first, in one query (members with none left out)."""
        return await self.feedback.of_members(member_ids, period)
