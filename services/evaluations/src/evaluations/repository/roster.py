"""The roster and the organisations read model, kept from other services' events."""

import asyncio
from collections.abc import Sequence

from kit.mongo import (
    Document,
    by_ids,
    duplicates_among,
    exclusive_writes,
    set_or_insert_many,
)
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from evaluations.domain import (
    KnownOrganisation,
    Placement,
    RosterEntry,
)
from evaluations.ports import Enrolment, Move
from evaluations.repository.common import day, optional_day

# members moved at once: FerretDB applies updates of distinct documents side by side, and
# those of one request one after another
SIDE_BY_SIDE = 32


def roster_from(document: Document) -> RosterEntry:
    return RosterEntry(
        member_id=document["_id"],
        full_name=document.get("full_name") or "",
        workplace_role=document.get("workplace_role"),
        placements=[
            Placement(p["cell_id"], optional_day(p.get("since")), p.get("transfer_id"))
            for p in document.get("placements", [])
        ],
    )


def placement_document(placement: Placement) -> Document:
    return {
        "cell_id": placement.cell_id,
        "since": day(placement.since),
        "transfer_id": placement.transfer_id,
    }


def enrolled(enrolment: Enrolment) -> Document:
    entry, version, event_id = enrolment
    return {
        "_id": entry.member_id,
        "full_name": entry.full_name,
        "workplace_role": entry.workplace_role,
        "version": version,
        "placements": [placement_document(p) for p in entry.placements],
        "applied_events": [event_id],
        "applied_transfers": [],
    }


class MongoRoster:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["roster"]

    async def create_indexes(self) -> None:
        await self.collection.create_index("placements.cell_id")

    async def get(self, member_id: str) -> RosterEntry | None:
        document = await self.collection.find_one({"_id": member_id})
        return roster_from(document) if document else None

    async def many(self, member_ids: Sequence[str]) -> list[RosterEntry]:
        return [roster_from(document) for document in await by_ids(self.collection, member_ids)]

    async def in_cells(self, cell_ids: Sequence[str]) -> list[RosterEntry]:
        cursor = self.collection.find({"placements.cell_id": {"$in": list(cell_ids)}})
        return [roster_from(document) async for document in cursor]

    async def enrol(self, entry: RosterEntry, version: int, event_id: str) -> None:
        """Guarded by the event id recorded in the same update: applying twice changes nothing.

        Usually the member is new: a plain insert (upserts are slow on FerretDB 1.24).
        """
        try:
            await self.collection.insert_one(enrolled(Enrolment(entry, version, event_id)))
            return
        except DuplicateKeyError:  # known already, from another event: add to it, once
            pass
        await self._enrol_known(entry, version, event_id)

    async def enrol_many(self, enrolments: Sequence[Enrolment]) -> None:
        """New members in one insert; those known already each as `enrol` adds to them."""
        try:
            await self.collection.insert_many(map(enrolled, enrolments), ordered=False)
        except BulkWriteError as error:
            for index in duplicates_among(error):
                await self._enrol_known(*enrolments[index])

    async def _enrol_known(self, entry: RosterEntry, version: int, event_id: str) -> None:
        placements = [placement_document(p) for p in entry.placements]
        await self.collection.update_one(
            {"_id": entry.member_id, "applied_events": {"$ne": event_id}},
            {"$push": {"placements": {"$each": placements}, "applied_events": event_id}},
        )
        if entry.full_name:
            await self.update_profile(
                entry.member_id, entry.full_name, entry.workplace_role, version
            )

    async def update_profile(
        self, member_id: str, full_name: str, workplace_role: str | None, version: int
    ) -> None:
        """Only a newer version changes the profile, so events may come in any order."""
        profile = {"full_name": full_name, "workplace_role": workplace_role, "version": version}
        await self._apply_or_insert(
            self.collection,
            {
                "_id": member_id,
                "$or": [{"version": {"$lt": version}}, {"version": {"$exists": False}}],
            },
            {"$set": profile},
            {"_id": member_id, **profile, "placements": [], "applied_events": []},
        )

    async def move(self, member_id: str, placement: Placement, event_id: str) -> None:
        """Guarded by the event id and by the transfer id: a reissued event changes nothing."""
        await self._move(self.collection, Move(member_id, placement, event_id))

    async def move_many(self, moves: Sequence[Move]) -> None:
        """As `move` does each: distinct members side by side (a member's moves one after
        another), in the collection's write turn."""
        of_member: dict[str, list[Move]] = {}
        for move in moves:
            of_member.setdefault(move.member_id, []).append(move)
        turns = asyncio.Semaphore(SIDE_BY_SIDE)
        async with exclusive_writes(self.collection) as writes:

            async def move_in_turn(member_moves: list[Move]) -> None:
                async with turns:
                    for move in member_moves:
                        await self._move(writes, move)

            await asyncio.gather(
                *(move_in_turn(member_moves) for member_moves in of_member.values())
            )

    async def _move(self, collection: AsyncCollection[Document], move: Move) -> None:
        member_id, placement, event_id = move
        await self._apply_or_insert(
            collection,
            {
                "_id": member_id,
                "applied_events": {"$ne": event_id},
                "applied_transfers": {"$ne": placement.transfer_id},
            },
            {
                "$push": {
                    "placements": placement_document(placement),
                    "applied_events": event_id,
                    "applied_transfers": placement.transfer_id,
                }
            },
            {
                "_id": member_id,
                "full_name": "",
                "workplace_role": None,
                "version": 0,
                "placements": [placement_document(placement)],
                "applied_events": [event_id],
                "applied_transfers": [placement.transfer_id],
            },
        )

    async def _apply_or_insert(
        self,
        collection: AsyncCollection[Document],
        guard: Document,
        update: Document,
        new: Document,
    ) -> None:
        """Update under a guard; when nothing matched, the member may be unknown yet: insert.
        A duplicate key then means the document exists (the guard refused, or another event
        created it meanwhile), so apply once more under the guard."""
        if (await collection.update_one(guard, update)).matched_count:
            return
        try:
            await collection.insert_one(new)
        except DuplicateKeyError:
            await collection.update_one(guard, update)


def organisation_from(document: Document) -> KnownOrganisation:
    return KnownOrganisation(
        id=document["_id"],
        code=document["code"],
        name=document["name"],
        kind=document["kind"],
        cell_type=document.get("cell_type"),
        parent_id=document.get("parent_id"),
        ancestor_ids=tuple(document.get("ancestor_ids") or ()),
        status=document["status"],
        version=document.get("version", 0),
    )


class MongoOrganisationDirectory:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["known_organisations"]

    async def create_indexes(self) -> None:
        await self.collection.create_index("ancestor_ids")

    async def get(self, organisation_id: str) -> KnownOrganisation | None:
        document = await self.collection.find_one({"_id": organisation_id})
        return organisation_from(document) if document else None

    async def many(self, organisation_ids: Sequence[str]) -> list[KnownOrganisation]:
        found = await by_ids(self.collection, organisation_ids)
        return [organisation_from(document) for document in found]

    async def cells_within(self, organisation_id: str) -> list[str]:
        cursor = self.collection.find(
            {
                "kind": "CELL",
                "$or": [{"_id": organisation_id}, {"ancestor_ids": organisation_id}],
            },
            {"_id": 1},
        )
        return [document["_id"] async for document in cursor]

    async def within(self, root_ids: Sequence[str]) -> list[str]:
        cursor = self.collection.find(
            {"$or": [{"_id": {"$in": list(root_ids)}}, {"ancestor_ids": {"$in": list(root_ids)}}]},
            {"_id": 1},
        )
        return [document["_id"] async for document in cursor]

    async def remember(self, organisation: KnownOrganisation) -> None:
        """A version guard: an older or repeated event changes nothing."""
        guard, fields = remembered(organisation)
        try:
            await self.collection.update_one(guard, {"$set": fields}, upsert=True)
        except DuplicateKeyError:  # stored meanwhile: apply unless a newer version is there
            await self.collection.update_one(guard, {"$set": fields})

    async def remember_many(self, organisations: Sequence[KnownOrganisation]) -> None:
        """As `remember` does each, in bulk."""
        await set_or_insert_many(self.collection, [remembered(o) for o in organisations])


def remembered(organisation: KnownOrganisation) -> tuple[Document, Document]:
    """The guard and the fields that keep this version of an organisation unless a newer one
    is kept."""
    fields = {
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind,
        "cell_type": organisation.cell_type,
        "parent_id": organisation.parent_id,
        "ancestor_ids": list(organisation.ancestor_ids),
        "status": organisation.status,
        "version": organisation.version,
    }
    return {"_id": organisation.id, "version": {"$lte": organisation.version}}, fields
