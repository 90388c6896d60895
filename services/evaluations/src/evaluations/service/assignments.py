"""Criterion (1): the tasks a cell gives the members it evaluates, and how they went."""

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from evaluations.domain import (
    Assignment,
    AssignmentResult,
    DomainError,
    Forbidden,
    NotFound,
    Period,
    required_text,
)
from evaluations.service.commands import AssignTask
from evaluations.service.ports import AssignmentRepository
from evaluations.service.roster import RosterService


class AssignmentService:
    def __init__(
        self,
        assignments: AssignmentRepository,
        roster: RosterService,
        clock: Callable[[], datetime],
    ) -> None:
        self.assignments = assignments
        self.roster = roster
        self.clock = clock

    async def assign_task(self, command: AssignTask) -> Assignment:
        """The cell gives a member a task for a period [phân công nhiệm vụ]."""
        c = command
        period, cell_id = Period.parse(c.period), c.cell_id
        _, evaluating_cell = await self.roster.cell_for(c.member_id, period)
        if cell_id is not None and cell_id != evaluating_cell:
            raise Forbidden(
                f"Cell {cell_id} does not evaluate this member for {period}.",
                organisationId=cell_id,
                evaluatedBy=evaluating_cell,
            )
        assigned_on, due_on = c.assigned_on or self.clock().date(), c.due_on
        if due_on is not None and due_on < assigned_on:
            raise DomainError("A task is due on or after the day it is assigned.", field="dueOn")
        assignment = Assignment(
            id=str(uuid.uuid4()),
            member_id=c.member_id,
            cell_id=evaluating_cell,
            period=period,
            task=required_text(c.task, "task"),
            assigned_on=assigned_on,
            due_on=due_on,
        )
        await self.assignments.add(assignment)
        return assignment

    async def assignment(self, assignment_id: str) -> Assignment | None:
        return await self.assignments.get(assignment_id)

    async def record_assignment_result(
        self, assignment_id: str, result: AssignmentResult, note: str | None
    ) -> Assignment:
        """The cell records how a task went: DONE, PARTIAL or NOT_DONE, with a note."""
        assignment = await self.assignments.get(assignment_id)
        if assignment is None:
            raise NotFound(f"No assignment {assignment_id}.", id=assignment_id)
        assignment.record_result(result, note)
        await self.assignments.save_result(assignment)
        return assignment

    async def assignments_of(self, member_id: str, period_text: str | None) -> list[Assignment]:
        period = Period.parse(period_text) if period_text else None
        return await self.assignments.of_member(member_id, period)

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[Assignment]]:
        """Each member's tasks for the period, in one query (members with none left out)."""
        return await self.assignments.of_members(member_ids, period)
