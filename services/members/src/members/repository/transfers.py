"""Transfers in PyMongo; a dissolution's transfers go in one unordered bulk insert."""

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from kit.aggregates import Change, save_aggregate, save_aggregates, tell_saved
from kit.batched_saves import SavedInBatches, save_in_batches
from kit.event_batches import insert_with_events
from kit.mongo import Document
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids, for_each_value
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from members.domain import Conflict, PersonKind, Transfer, TransferKind, TransferState
from members.domain.transfers import OPEN_STATES
from members.repository.aggregates import (
    BATCH,
    WITHOUT_OUTBOX,
    change_of,
)
from members.repository.documents import day, day_of, transfer_document, transfer_from
from members.repository.scopes import all_of, within
from members.service.ports import EVERYWHERE, Saving, Scope, TransferFilter, TransferProgress

# lists are in person_name order after the equality filters (a case's, a person's, an
# organisation's, a state's); the caller's scope (from/to organisation or their own person id,
# an `$or`) is decided on the keys that follow, or branch by branch on the organisation ones
SCOPE = ("from_organisation_id", "to_organisation_id", "person_id")


def by_name(name: str, *equal: str, then: tuple[str, ...] = ()) -> Index:
    rest = [field for field in (*then, *SCOPE) if field not in equal]
    return Index(name, (*equal, "person_name", "_id", *rest))


# A list asks the store for one leading equality, the first given of a person's, a case's and
# an organisation's it comes to (the most selective first), with the state (and lateness) after
# it where an index pairs them; the other filters are checked on the few transfers found, so
# every combination of filters is served by one of these indexes
STATE_AFTER = (None, "case_id", "to_organisation_id")

TRANSFER_INDEXES = (
    by_name("by_name"),
    by_name("case_by_name", "case_id"),
    by_name("case_state_by_name", "case_id", "state", then=("report_by",)),
    Index("person_open", ("person_id", "state", "case_id")),
    # a bulk step of a case reads back the transfers it stamped (kit.batched_saves)
    Index("case_stamped", ("case_id", "outbox_writes")),
    by_name("person_by_name", "person_id"),
    by_name("from_by_name", "from_organisation_id"),
    by_name("from_state_by_name", "from_organisation_id", "state", then=("report_by",)),
    by_name("to_by_name", "to_organisation_id"),
    by_name("to_state_by_name", "to_organisation_id", "state", then=("report_by",)),
    by_name("state_by_name", "state", then=("report_by",)),
    # the members away on a TEMPORARY stay: the cell they left, the stay's end, then the
    # caller's scope decided on the keys
    Index(
        "away_from",
        ("kind", "state", "from_organisation_id", "temporary_until", *SCOPE[1:]),
    ),
)


class MongoTransferRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["transfers"]
        # saved in bulk, their events held back: in the document, or in outbox batches
        self._unannounced: dict[str, Change] = {}
        self._held: dict[str, SavedInBatches] = {}

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, TRANSFER_INDEXES)

    async def get(self, transfer_id: str) -> Transfer | None:
        document = await self.collection.find_one({"_id": transfer_id}, WITHOUT_OUTBOX)
        return transfer_from(document) if document else None

    async def add(self, transfer: Transfer, events: Sequence[dict[str, Any]]) -> None:
        try:
            await save_aggregate(self.collection, change_of(transfer_document(transfer), events))
        except DuplicateKeyError as error:
            raise Conflict(f"Transfer {transfer.id} already exists.") from error

    async def add_many_once(
        self, transfers: Sequence[Transfer], events_of: Callable[[Transfer], dict[str, Any]]
    ) -> int:
        # Deterministic ids make "insert what is missing" one unordered bulk insert: the ones
        # already stored fail alone on their unique _id. (Measured on FerretDB 1.24: 1,000 in
        # ~0.15 s, where the same bulk write of $setOnInsert upserts took 5 s, and minutes
        # when the transfers already existed.) Their first events ride in outbox batches: the
        # relay marks a batch SENT where it would remove each transfer's event with an update.
        documents = [transfer_document(transfer) for transfer in transfers]
        refused = await insert_with_events(
            self.collection, documents, {t.id: [events_of(t)] for t in transfers}
        )
        return len(documents) - len(refused)

    async def save(self, transfer: Transfer, events: Sequence[dict[str, Any]]) -> bool:
        await self.announce([transfer.id])  # its events held back go first
        return await save_aggregate(self.collection, change_of(transfer_document(transfer), events))

    async def save_many(
        self, savings: Sequence[Saving[Transfer]], announce: bool = True
    ) -> set[str]:
        """Save the transfers in bulk; with `announce` False their events wait for
        `announce`. Those of a bulk step (read given), one update for those alike (a case's
        receptions), their events in outbox batches (kit.batched_saves)."""
        changes = [
            change_of(
                transfer_document(s.aggregate),
                s.events,
                read=transfer_document(s.read) if s.read is not None else None,
            )
            for s in savings
        ]
        if any(s.read is None for s in savings):
            written = await save_aggregates(self.collection, changes, tell=announce)
            if not announce:
                self._unannounced.update(
                    (c.document["_id"], c) for c in changes if c.document["_id"] in written
                )
            return written
        saved = await save_in_batches(self.collection, changes, "case_id", ready=announce)
        if not announce:
            self._held.update(dict.fromkeys(saved.written, saved))
        return saved.written

    async def announce(self, transfer_ids: Sequence[str]) -> None:
        """Let the relay publish the events of transfers saved unannounced."""
        for saved in {id(s): s for i in transfer_ids if (s := self._held.pop(i, None))}.values():
            await saved.ready()
        held = {i: self._unannounced.pop(i) for i in transfer_ids if i in self._unannounced}
        tell_saved(self.collection, list(held.values()), held)

    async def get_many(self, transfer_ids: Sequence[str]) -> list[Transfer]:
        found = await by_ids(self.collection, transfer_ids, WITHOUT_OUTBOX)
        return [transfer_from(document) for document in found]

    async def find(self, where: TransferFilter) -> list[Transfer]:
        if (
            where.state is not None
            and where.overdue_on is not None
            and (where.state is not TransferState.INTRODUCED)
        ):
            return []
        given = {
            field: value
            for field, value in (
                ("person_id", where.person_id),
                ("case_id", where.case_id),
                ("to_organisation_id", where.to_organisation_id),
            )
            if value is not None
        }
        lead = next(iter(given), None)
        query: Document = {lead: given[lead]} if lead else {}
        by_state = lead in STATE_AFTER
        if by_state and where.state is not None:
            query["state"] = where.state.value
        if by_state and where.overdue_on is not None:
            query["state"] = TransferState.INTRODUCED.value
            query["report_by"] = {"$lt": day(where.overdue_on)}
        leaving_or_coming: Document = {}
        if where.organisation_id is not None:
            leaving_or_coming = {
                "$or": [
                    {"from_organisation_id": where.organisation_id},
                    {"to_organisation_id": where.organisation_id},
                ]
            }
        visible = within(
            where.scope, "from_organisation_id", "to_organisation_id", person_field="person_id"
        )
        cursor = self.collection.find(
            all_of(query, leaving_or_coming, visible), WITHOUT_OUTBOX, batch_size=BATCH
        ).sort([("person_name", 1), ("_id", 1)])
        found = [transfer_from(document) async for document in cursor]
        rest = {field: value for field, value in given.items() if field != lead}
        return [
            transfer
            for transfer in found
            if all(getattr(transfer, field) == value for field, value in rest.items())
            and (by_state or where.state is None or transfer.state is where.state)
            and (by_state or where.overdue_on is None or transfer.is_overdue(where.overdue_on))
        ]

    async def open_for(self, person_id: str) -> Transfer | None:
        document = await self.collection.find_one(
            {"person_id": person_id, "state": {"$in": [s.value for s in OPEN_STATES]}},
            WITHOUT_OUTBOX,
        )
        return transfer_from(document) if document else None

    async def away_on(
        self, today: date, organisation_id: str | None, scope: Scope = EVERYWHERE
    ) -> set[str]:
        query: Document = {
            "kind": TransferKind.TEMPORARY.value,
            "state": TransferState.RECEIVED.value,
            "temporary_until": {"$gte": today.isoformat()},
        }
        if organisation_id is not None:
            query["from_organisation_id"] = organisation_id
        visible = within(
            scope, "from_organisation_id", "to_organisation_id", person_field="person_id"
        )
        cursor = self.collection.find(
            all_of(query, visible), {"person_id": 1, "received_on": 1}, batch_size=BATCH
        )
        return {
            document["person_id"]
            async for document in cursor
            if (document.get("received_on") or "9999") <= today.isoformat()
        }

    async def moving_elsewhere(self, person_ids: Sequence[str], case_id: str) -> set[str]:
        # the transfers under way, a state at a time: a few among all ever made, where a
        # query per person would be a thousand for a dissolved cell (the case is told apart
        # here: the state's index serves the query)
        found = await for_each_value(
            self.collection,
            "state",
            [state.value for state in OPEN_STATES],
            None,
            {"person_id": 1, "case_id": 1},
        )
        wanted = set(person_ids)
        return {d["person_id"] for d in found if d.get("case_id") != case_id} & wanted

    async def progress(self, case_id: str, today: date) -> TransferProgress:
        cursor = self.collection.find(
            {"case_id": case_id},
            {"state": 1, "person_kind": 1, "report_by": 1, "received_on": 1},
            batch_size=BATCH,
        )
        states: list[str] = []
        kinds: list[str] = []
        received: Counter[str] = Counter()
        received_on: list[str] = []
        overdue = 0
        async for document in cursor:
            states.append(document["state"])
            kinds.append(document["person_kind"])
            report_by = document.get("report_by")
            if document["state"] == TransferState.INTRODUCED.value and report_by:
                overdue += report_by < today.isoformat()
            if document["state"] == TransferState.RECEIVED.value:
                received[document["person_kind"]] += 1
                received_on += [document["received_on"]] if document.get("received_on") else []
        return TransferProgress(
            total=len(states),
            members=kinds.count(PersonKind.MEMBER.value),
            candidates=kinds.count(PersonKind.CANDIDATE.value),
            needing_destination=states.count(TransferState.NEEDS_DESTINATION.value),
            awaiting_introduction=states.count(TransferState.AWAITING_INTRODUCTION.value),
            introduced=states.count(TransferState.INTRODUCED.value)
            + states.count(TransferState.RECEIVED.value),
            received=states.count(TransferState.RECEIVED.value),
            cancelled=states.count(TransferState.CANCELLED.value),
            overdue=overdue,
            received_members=received[PersonKind.MEMBER.value],
            received_candidates=received[PersonKind.CANDIDATE.value],
            last_received_on=day_of(max(received_on, default=None)),
        )
