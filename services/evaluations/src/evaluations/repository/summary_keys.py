"""Which summary counts a write changes, found before it: from the members it writes (their
roster entries, evaluations and job results, looked up one member at a time) or, for moves,
from the moves themselves and the entries they start from (the cell left, the cell joined, and
the periods since the day received that those cells have counts for: a few reads a cell)."""

from collections.abc import Collection, Mapping, Sequence

from kit.mongo import Document
from kit.mongo.lookups import by_ids, for_each_value
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from evaluations.domain import RosterEntry
from evaluations.repository.roster_documents import roster_from
from evaluations.repository.summary_counting import CountKeys, keys_in, moved_keys, period_key
from evaluations.service.roster_ports import Move

ID_KEYS = {"cell_id": 1, "period": 1}


class SummaryKeys:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.roster: AsyncCollection[Document] = db["roster"]
        self.evaluations: AsyncCollection[Document] = db["evaluations"]
        self.assessments: AsyncCollection[Document] = db["workplace_assessments"]
        self.evaluation_counts: AsyncCollection[Document] = db["evaluation_counts"]
        self.assessment_counts: AsyncCollection[Document] = db["assessment_counts"]

    async def of_members(self, member_ids: Sequence[str], new_cells: Collection[str]) -> CountKeys:
        """The counts these members' entries, evaluations and job results are counted in,
        and those of the same periods in the cells they go to."""
        found = await by_ids(self.roster, member_ids, {"cell_ids": 1})
        cells = {cell for d in found for cell in d.get("cell_ids") or ()} | set(new_cells)
        evaluations = await for_each_value(self.evaluations, "member_id", member_ids, None, ID_KEYS)
        assessed = await for_each_value(
            self.assessments, "member_id", member_ids, None, {"period": 1}
        )
        periods = {d["period"] for d in evaluations}
        return CountKeys(
            frozenset(cells),
            frozenset(period_key(d["cell_id"], d["period"]) for d in evaluations)
            | keys_in(new_cells, periods),
            keys_in(cells, {d["period"] for d in assessed}),
        )

    async def of_moves(
        self, moves: Sequence[Move], entries: Mapping[str, RosterEntry], *, roster: bool = True
    ) -> CountKeys:
        """The counts these moves change, from the entries the members had before them (a
        member missing from `entries` is not on the roster: only the cell joined changes).
        Every evaluation or job result of a member is counted under one of the member's cells
        for its period, so those cells' counts of the periods since the move are all that
        can change. `roster`: the roster's counts too (else those of evaluations and job
        results: counted once the roster is written, as the evaluations follow)."""
        moved = [entry for member_id, _, _ in moves if (entry := entries.get(member_id))]
        cells = sorted({p.cell_id for _, p, _ in moves} | {c for e in moved for c in e.cells()})
        evaluated = await self._periods_counted(self.evaluation_counts, cells)
        assessed = await self._periods_counted(self.assessment_counts, cells)
        keys = moved_keys(moves, entries, evaluated, assessed)
        return (
            keys
            if roster
            else CountKeys(evaluations=keys.evaluations, assessments=keys.assessments)
        )

    async def whose_results_count_changes(self, roles: dict[str, str | None]) -> list[str]:
        """Of these members and their new workplace roles, those whose job results start or
        stop counting."""
        found = await by_ids(self.roster, list(roles), {"workplace_role": 1})
        was = {d["_id"]: roster_from(d).workplace_results_required for d in found}
        return [
            member_id
            for member_id, role in roles.items()
            if was.get(member_id, False)
            != RosterEntry(member_id, "", role).workplace_results_required
        ]

    async def _periods_counted(
        self, counts: AsyncCollection[Document], cell_ids: Sequence[str]
    ) -> dict[str, set[str]]:
        """The periods each cell has counts of (kept with their cell since COUNTED (4))."""
        found = await for_each_value(counts, "cell_id", cell_ids, None, ID_KEYS)
        periods: dict[str, set[str]] = {cell: set() for cell in cell_ids}
        for document in found:
            periods[document["cell_id"]].add(document["period"])
        return periods
