"""Evaluations, written with their events in one document write."""

import asyncio
from collections.abc import Mapping, Sequence
from datetime import date

from kit.aggregates import Change, save_aggregate, save_aggregates
from kit.mongo import Document
from kit.mongo.bulk import bulk_write_in_parts
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids, count_for_each_value, for_each_value
from kit.pages import Page, after_key, cursor, page_of
from pymongo import UpdateMany, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from evaluations.domain import (
    Conflict,
    Evaluation,
    EvaluationState,
    Override,
    Period,
    Placement,
    Rating,
    Reopening,
    RosterEntry,
    Step,
)
from evaluations.repository.documents import WITHOUT_OUTBOX, rating
from evaluations.repository.summary_counting import CountKeys, period_key
from evaluations.repository.summary_counts import MongoSummaryCounts
from evaluations.service.roster_ports import Move


def evaluation_document(evaluation: Evaluation) -> Document:
    def stored(value: Rating | None) -> str | None:
        return value.value if value else None

    return {
        "member_id": evaluation.member_id,
        "cell_id": evaluation.cell_id,
        "period": str(evaluation.period),
        "period_ends_on": evaluation.period.ends_on.isoformat(),
        "state": evaluation.state.value,
        "self_rating": stored(evaluation.self_rating),
        "self_comment": evaluation.self_comment,
        "proposed_rating": stored(evaluation.proposed_rating),
        "proposed_score": evaluation.proposed_score,
        "proposal_note": evaluation.proposal_note,
        "final_rating": stored(evaluation.final_rating),
        "final_score": evaluation.final_score,
        "finalised_at": evaluation.finalised_at,
        "overrides": [vars(o) for o in evaluation.overrides],
        "history": [{**vars(s), "state": s.state.value} for s in evaluation.history],
        "reopenings": [{**vars(r), "rating": r.rating.value} for r in evaluation.reopenings],
    }


def change_of(evaluation: Evaluation, events: Sequence[Document]) -> Change:
    """The evaluation as it is to be stored over the version it was read at, with its events."""
    document = {
        "_id": evaluation.id,
        **evaluation_document(evaluation),
        "version": evaluation.version + 1,
    }
    return Change(document, tuple(events))


def evaluation_from(document: Document) -> Evaluation:
    return Evaluation(
        id=document["_id"],
        member_id=document["member_id"],
        cell_id=document["cell_id"],
        period=Period.parse(document["period"]),
        state=EvaluationState(document["state"]),
        self_rating=rating(document.get("self_rating")),
        self_comment=document.get("self_comment"),
        proposed_rating=rating(document.get("proposed_rating")),
        proposed_score=document.get("proposed_score"),
        proposal_note=document.get("proposal_note"),
        final_rating=rating(document.get("final_rating")),
        final_score=document.get("final_score"),
        finalised_at=document.get("finalised_at"),
        overrides=[Override(**o) for o in document.get("overrides", [])],
        history=[
            Step(EvaluationState(s["state"]), s["at"], s["by"], s.get("note"), s.get("subject"))
            for s in document.get("history", [])
        ],
        reopenings=[
            Reopening(**{**r, "rating": Rating(r["rating"])})
            for r in document.get("reopenings", [])
        ],
        version=document.get("version", 0),
    )


MEMBER_ORDER = (("member_id", 1), ("_id", 1))


def cursor_of(document: Document) -> str:
    return cursor(document["member_id"], document["_id"])


# a ward's or a cell's month (finalised or not); a member's months, and those a transfer moves
EVALUATIONS_INDEXES = (
    Index("cell_period_state", ("cell_id", "period", "state")),
    Index("member_period", ("member_id", "period", "period_ends_on", "state")),
)


class MongoEvaluations:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["evaluations"]
        self.counts = MongoSummaryCounts(db)

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, EVALUATIONS_INDEXES)

    async def get(self, evaluation_id: str) -> Evaluation | None:
        document = await self.collection.find_one({"_id": evaluation_id}, WITHOUT_OUTBOX)
        return evaluation_from(document) if document else None

    async def many(self, evaluation_ids: Sequence[str]) -> list[Evaluation]:
        found = await by_ids(self.collection, evaluation_ids, WITHOUT_OUTBOX)
        return [evaluation_from(document) for document in found]

    async def save(self, evaluation: Evaluation, events: Sequence[Document]) -> None:
        """Optimistic: the write applies only to the version that was read."""
        changed = Conflict(
            f"The evaluation {evaluation.id} changed meanwhile: read it again and retry.",
            id=evaluation.id,
        )
        try:
            async with self.counts.changing(keys_of([evaluation])):
                await save_aggregate(self.collection, change_of(evaluation, events), changed)
        except DuplicateKeyError:  # a first save of the month, made twice at once
            raise changed from None
        evaluation.version += 1

    async def save_many(self, changes: Sequence[tuple[Evaluation, Sequence[Document]]]) -> set[str]:
        """`save` of many stored evaluations in one unordered bulk write; the ids written (the
        relay told of their events: it reads none back)."""
        async with self.counts.changing(keys_of([evaluation for evaluation, _ in changes])):
            written = await save_aggregates(
                self.collection, [change_of(evaluation, events) for evaluation, events in changes]
            )
        for evaluation, _ in changes:
            if evaluation.id in written:
                evaluation.version += 1
        return written

    async def of_member(self, member_id: str) -> list[Evaluation]:
        cursor = self.collection.find({"member_id": member_id}, WITHOUT_OUTBOX)
        return [evaluation_from(document) async for document in cursor.sort("period", 1)]

    async def in_cells(
        self, cell_ids: Sequence[str], period: Period, state: EvaluationState | None = None
    ) -> list[Evaluation]:
        query: Document = {"period": str(period)}
        if state is not None:
            query["state"] = state.value
        found = await for_each_value(self.collection, "cell_id", cell_ids, query, WITHOUT_OUTBOX)
        return [evaluation_from(document) for document in found]

    async def page_in_cells(
        self,
        cell_ids: Sequence[str],
        period: Period,
        state: EvaluationState,
        first: int,
        after: str | None,
    ) -> Page[Evaluation]:
        """A page of the stored evaluations of these cells in one state, in member order: the
        first of each cell after the cursor, merged (the cells' lists do not overlap)."""
        query: Document = {"period": str(period), "state": state.value}
        following = {**query, **after_key("member_id", after)} if after else query
        total, found = await asyncio.gather(
            count_for_each_value(self.collection, "cell_id", cell_ids, query),
            for_each_value(
                self.collection,
                "cell_id",
                cell_ids,
                following,
                WITHOUT_OUTBOX,
                sort=MEMBER_ORDER,
                limit=first + 1,
            ),
        )
        documents = sorted(found, key=lambda d: (d["member_id"], d["_id"]))[: first + 1]
        return page_of(documents, first, after, total, cursor_of).map(evaluation_from)

    async def finalised_ratings(self, cell_ids: Sequence[str], period: Period) -> dict[str, Rating]:
        query: Document = {"period": str(period), "state": EvaluationState.FINALISED.value}
        found = await for_each_value(
            self.collection, "cell_id", cell_ids, query, {"final_rating": 1}
        )
        return {document["_id"]: Rating(document["final_rating"]) for document in found}

    async def follow_roster(self, entry: RosterEntry) -> None:
        unfinalised = {
            "member_id": entry.member_id,
            "state": {"$ne": EvaluationState.FINALISED.value},
        }
        moves = []
        async for document in self.collection.find(unfinalised, {"period": 1, "cell_id": 1}):
            cell_id = entry.cell_for(Period.parse(document["period"]))
            if cell_id and cell_id != document["cell_id"]:
                moves.append(
                    UpdateOne(
                        {"_id": document["_id"], "state": {"$ne": EvaluationState.FINALISED.value}},
                        {"$set": {"cell_id": cell_id}, "$inc": {"version": 1}},
                    )
                )
        if moves:
            async with self.counts.changing_members([entry.member_id], entry.cells()):
                await self.collection.bulk_write(moves, ordered=False)

    async def follow_transfer(self, member_id: str, cell_id: str, since: date) -> None:
        await self.follow_transfers([(member_id, Placement(cell_id, since), "")])

    async def follow_transfers(
        self, moves: Sequence[Move], before: Mapping[str, RosterEntry] | None = None
    ) -> None:
        """Each member's unfinalised evaluations of the periods since the move go to the new
        cell: an update per member (an `$in` of members would have FerretDB read every
        unfinalised evaluation for each), side by side. With the entries `before` the moves,
        the counts they change are found from them, not looked up member by member."""
        updates = [
            UpdateMany(
                {
                    "member_id": member_id,
                    "state": {"$ne": EvaluationState.FINALISED.value},
                    "period_ends_on": {"$gte": placement.since.isoformat()},
                },
                {"$set": {"cell_id": placement.cell_id}, "$inc": {"version": 1}},
            )
            for member_id, placement, _ in moves
            if placement.since is not None
        ]
        members, cells = [m for m, _, _ in moves], {p.cell_id for _, p, _ in moves}
        changing = (
            self.counts.changing_members(members, cells)
            if before is None
            else self.counts.changing_moves(moves, before, roster=False)
        )
        async with changing:
            await bulk_write_in_parts(self.collection, updates, [], tell=False)


def keys_of(evaluations: Sequence[Evaluation]) -> CountKeys:
    """The (cell, period) counts these evaluations are counted in."""
    return CountKeys(
        evaluations=frozenset(period_key(e.cell_id, str(e.period)) for e in evaluations)
    )
