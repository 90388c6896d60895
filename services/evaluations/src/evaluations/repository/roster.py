"""The roster of who is evaluated where, kept from the members service's events."""

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager

from kit.crash_points import crash_point
from kit.mongo import Document
from kit.mongo.bulk import bulk_write_in_parts, duplicates_among, upgrade_once
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids, for_each_value
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from evaluations.domain import (
    Placement,
    RosterEntry,
    Stay,
)
from evaluations.repository.count_increments import (
    UNCOUNTED,
    CountIncrements,
    carrying,
    increments,
    kept_rows,
    new_token,
)
from evaluations.repository.roster_documents import (
    PROFILE,
    apply_or_insert,
    cells_of,
    enrolled,
    hosting,
    move_update,
    moved_document,
    placement_document,
    profile_changes,
    profile_fields,
    profile_update,
    results_count_flips,
    roster_from,
    write_cells_if_missing,
)
from evaluations.repository.summary_counts import MongoSummaryCounts
from evaluations.service.roster_ports import Enrolment, Move, Profile, Replaced

# a cell's roster: `cell_ids` holds the cells of the placements, at the top of the document
# where FerretDB can hand the equality to the store (it reads everything for `placements.cell_id`)
ROSTER_INDEXES = (
    Index("cell_ids", ("cell_ids",)),
    # a member named by card number or citizen ID: the digest, one equality (kit.pseudonyms)
    Index("key_digests", ("key_digests",)),
)
CELLS_WRITTEN = "roster entries carry cell_ids"
APPLIED_BY_NAME = "roster counts keep their applied tokens by name"


class MongoRoster:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["roster"]
        self.counts = MongoSummaryCounts(db)
        self.increments = CountIncrements(db)

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, ROSTER_INDEXES)
        await self.increments.create_indexes()
        await upgrade_once(self.collection.database, CELLS_WRITTEN, self._write_cells)
        await upgrade_once(
            self.collection.database, APPLIED_BY_NAME, self.increments.upgrade_applied
        )

    async def _write_cells(self) -> int:
        """Entries kept before they carried `cell_ids` are given them (once, at start-up)."""
        return await write_cells_if_missing(self.collection)

    async def get(self, member_id: str) -> RosterEntry | None:
        document = await self.collection.find_one({"_id": member_id})
        return roster_from(document) if document else None

    async def many(self, member_ids: Sequence[str]) -> list[RosterEntry]:
        return [roster_from(document) for document in await by_ids(self.collection, member_ids)]

    async def with_keys(self, digests: Sequence[str]) -> list[RosterEntry]:
        found = await for_each_value(self.collection, "key_digests", digests)
        return [roster_from(document) for document in found]

    async def in_cells(self, cell_ids: Sequence[str]) -> list[RosterEntry]:
        """Everyone ever placed in one of these cells."""
        return [roster_from(d) for d in await for_each_value(self.collection, "cell_ids", cell_ids)]

    async def enrol(self, entry: RosterEntry, version: int, event_id: str) -> None:
        """Guarded by the event id recorded in the same update: applying twice changes nothing."""
        await self.enrol_many([Enrolment(entry, version, event_id)])

    async def enrol_many(self, enrolments: Sequence[Enrolment]) -> None:
        """New members in one insert, their cells' roster counts moved by the increments the
        entries carry (`CountIncrements`); those known already each as `_enrol_known` adds to
        them, once the increments a crash may have left on them are added."""
        token = new_token()
        members = [enrolment.entry.member_id for enrolment in enrolments]
        rows = [increments(None, enrolment.entry) for enrolment in enrolments]
        documents = [
            enrolled(enrolment) | {UNCOUNTED: {token: kept_rows(each)}}
            for enrolment, each in zip(enrolments, rows, strict=True)
        ]
        added = [row for each in rows for row in each]
        known: list[int] = []
        async with self.increments.writing():
            await self.increments.begin(token, members)
            try:
                await self.collection.insert_many(documents, ordered=False)
            except BulkWriteError as error:
                known = duplicates_among(error)  # on the roster already, or a redelivery
                added = await self.increments.carried(token, members)
            crash_point("roster.enrolled")
            await self.increments.add(token, added)
        await self.increments.settle()
        if known:
            await self.increments.redo([members[index] for index in known])
            for index in known:
                await self._enrol_known(*enrolments[index])

    async def _enrol_known(self, entry: RosterEntry, version: int, event_id: str) -> None:
        placements = [placement_document(p) for p in entry.placements]
        async with self.counts.changing_members([entry.member_id], entry.cells(), roster_only=True):
            await self.collection.update_one(
                {"_id": entry.member_id, "applied_events": {"$ne": event_id}},
                {
                    "$push": {"placements": {"$each": placements}, "applied_events": event_id},
                    "$addToSet": {"cell_ids": {"$each": cells_of(entry.placements)}},
                },
            )
        if entry.full_name:
            await self.update_profile(
                entry.member_id,
                entry.full_name,
                entry.workplace_role,
                version,
                entry.key_digests or None,
            )

    async def update_profile(
        self,
        member_id: str,
        full_name: str,
        workplace_role: str | None,
        version: int,
        key_digests: Sequence[str] | None = None,
    ) -> None:
        """Only a newer version changes the profile, so events may come in any order."""
        digests = None if key_digests is None else tuple(key_digests)
        profile = Profile(member_id, full_name, workplace_role, version, digests)
        async with self._counting_roles([profile]):
            await apply_or_insert(
                self.collection,
                *profile_update(profile),
                {
                    "_id": member_id,
                    **profile_fields(profile),
                    "placements": [],
                    "cell_ids": [],
                    "applied_events": [],
                },
            )

    async def update_profiles(self, profiles: Sequence[Profile]) -> None:
        """`update_profile` of many members in one unordered bulk write, each member's newest
        version only (an older one would change nothing after it), and only of those it
        changes (`profile_changes`: a member's move tells the same profile again). Those not
        on the roster yet go the one-by-one way, which inserts them."""
        newest: dict[str, Profile] = {}
        for profile in profiles:
            known = newest.get(profile.member_id)
            if known is None or known.version < profile.version:
                newest[profile.member_id] = profile
        stored = {d["_id"]: d for d in await by_ids(self.collection, list(newest), PROFILE)}
        changed = [
            p
            for p in newest.values()
            if p.member_id in stored and profile_changes(stored[p.member_id], p)
        ]
        if changed:
            flipped = [p.member_id for p in changed if results_count_flips(stored[p.member_id], p)]
            async with self.counts.changing_members(flipped, (), roster_only=True):
                await bulk_write_in_parts(
                    self.collection,
                    [UpdateOne(*profile_update(profile)) for profile in changed],
                    [profile.member_id for profile in changed],
                )
        for profile in newest.values():
            if profile.member_id not in stored:  # not on the roster yet
                await self.update_profile(*profile)

    @asynccontextmanager
    async def _counting_roles(self, profiles: Sequence[Profile]) -> AsyncIterator[None]:
        """The summary counts of the members whose job results start or stop counting."""
        roles = {profile.member_id: profile.workplace_role for profile in profiles}
        flipped = await self.counts.keys.whose_results_count_changes(roles)
        async with self.counts.changing_members(flipped, (), roster_only=True):
            yield

    async def move(self, member_id: str, placement: Placement, event_id: str) -> None:
        """Guarded by the event id and by the transfer id: a reissued event changes nothing."""
        async with self.counts.changing_members(
            [member_id], cells_of([placement]), roster_only=True
        ):
            await apply_or_insert(
                self.collection,
                *move_update(member_id, placement, event_id),
                moved_document(member_id, placement, event_id),
            )

    async def move_many(
        self, moves: Sequence[Move], before: Mapping[str, RosterEntry] | None = None
    ) -> None:
        """`move` of many members in one unordered bulk write, their cells' roster counts moved
        by the increments derived from the entries `before` (`CountIncrements`); the counts of
        evaluations and job results they change are the evaluations' to count, as they follow
        (`follow_transfers`). Members not on the roster (or whose update the guard refused) go
        the one-by-one way."""
        if not moves:
            return
        entries = (
            before
            if before is not None
            else {e.member_id: e for e in await self.many([member_id for member_id, _, _ in moves])}
        )
        known = [move for move in moves if move[0] in entries]
        members = [member_id for member_id, _, _ in known]
        token = new_token()
        rows = {m: increments(entries[m], entries[m].moved(p)) for m, p, _ in known}
        matched = 0
        added = [row for each in rows.values() for row in each]
        async with self.increments.writing():
            if known:
                await self.increments.begin(token, members)
                matched, _ = await bulk_write_in_parts(
                    self.collection,
                    [UpdateOne(*carrying(move_update(*m), token, rows[m[0]])) for m in known],
                    members,
                )
                crash_point("roster.moved")
                if matched < len(known):  # some refused by the guard: those carrying the token
                    added = await self.increments.carried(token, members)
                await self.increments.add(token, added)
        await self.increments.settle()
        if matched == len(moves):
            return
        await self.increments.redo(members)  # a redelivery: increments a crash cut short
        every = [member_id for member_id, _, _ in moves]
        stored = {
            document["_id"]: set(document.get("applied_transfers") or [])
            for document in await by_ids(self.collection, every, {"applied_transfers": 1})
        }
        for member_id, placement, event_id in moves:
            if placement.transfer_id not in stored.get(member_id, set()):
                await self.move(member_id, placement, event_id)

    async def leaving(
        self, member_ids: Sequence[str], cell_ids: Sequence[str]
    ) -> dict[str, RosterEntry]:
        """The entries of these members, read by the cells they leave (one query a cell, where
        by id is one a member), those not found there by id."""
        wanted = set(member_ids)
        found = {e.member_id: e for e in await self.in_cells(cell_ids) if e.member_id in wanted}
        rest = [member_id for member_id in member_ids if member_id not in found]
        return found | {entry.member_id: entry for entry in await self.many(rest)}

    async def host(self, member_id: str, stay: Stay, event_id: str) -> None:
        """Guarded by the event id and by the transfer id, as `move` is."""
        await apply_or_insert(self.collection, *hosting(member_id, stay, event_id))

    async def replace_placements(
        self, entry: RosterEntry, was: RosterEntry, event_id: str
    ) -> Replaced:
        """Guarded by the placements read and by the event id, in one update."""
        async with self.counts.changing_members(
            [entry.member_id], entry.cells() | was.cells(), roster_only=True
        ):
            result = await self.collection.update_one(
                {
                    "_id": entry.member_id,
                    "applied_events": {"$ne": event_id},
                    "placements": [placement_document(p) for p in was.placements],
                },
                {
                    "$set": {
                        "placements": [placement_document(p) for p in entry.placements],
                        "cell_ids": cells_of(entry.placements),
                    },
                    "$push": {"applied_events": event_id},
                },
            )
        if result.modified_count == 1:
            return Replaced.WRITTEN
        applied = await self.collection.find_one(
            {"_id": entry.member_id, "applied_events": event_id}, {"_id": 1}
        )
        return Replaced.APPLIED_BEFORE if applied else Replaced.CHANGED_MEANWHILE
