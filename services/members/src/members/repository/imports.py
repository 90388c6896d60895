"""A bulk import's reads and writes: one query per kind of thing read, one bulk write per kind
of change, each new or changed person with their event in their own document (the outbox)."""

from collections.abc import Mapping, Sequence
from typing import Any

from kit.aggregates import save_aggregates
from kit.event_batches import insert_with_events
from kit.mongo import Document
from kit.mongo.bulk import not_at_version
from kit.mongo.lookups import for_each_value
from kit.search import searchable
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from members.domain import AdmissionCandidate, KnownOrganisation, PartyMember
from members.repository import candidates as candidate_documents
from members.repository import members as member_documents
from members.repository.aggregates import WITHOUT_OUTBOX, change_of
from members.repository.counts import MongoMemberCounts
from members.repository.documents import candidate_from, member_from
from members.repository.name_bands import NameBands
from members.repository.organisations import organisation_from
from members.repository.paths import OrganisationPaths

Event = dict[str, Any]


class MongoImportStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.members: AsyncCollection[Document] = db["members"]
        self.candidates: AsyncCollection[Document] = db["candidates"]
        self.organisations: AsyncCollection[Document] = db["known_organisations"]
        self.counts = MongoMemberCounts(db)
        self.paths = OrganisationPaths(db)
        self.bands = NameBands(db)

    async def create_indexes(self) -> None:
        await self.organisations.create_index("code")  # cells are named by code in a list

    async def organisations_by_code(self, codes: Sequence[str]) -> list[KnownOrganisation]:
        found = await for_each_value(self.organisations, "code", codes)
        return [organisation_from(document) for document in found]

    async def members_by_card(self, card_numbers: Sequence[str]) -> list[PartyMember]:
        found = await for_each_value(
            self.members, "card_number", card_numbers, None, WITHOUT_OUTBOX
        )
        return [member_from(document) for document in found]

    async def members_by_citizen_id(self, citizen_ids: Sequence[str]) -> list[PartyMember]:
        found = await for_each_value(self.members, "citizen_id", citizen_ids, None, WITHOUT_OUTBOX)
        return [member_from(document) for document in found]

    async def members_in(self, organisation_ids: Sequence[str]) -> list[PartyMember]:
        found = await for_each_value(
            self.members, "organisation_id", organisation_ids, None, WITHOUT_OUTBOX
        )
        return [member_from(document) for document in found]

    async def candidates_in(self, organisation_ids: Sequence[str]) -> list[AdmissionCandidate]:
        found = await for_each_value(
            self.candidates, "organisation_id", organisation_ids, None, WITHOUT_OUTBOX
        )
        return [candidate_from(document) for document in found]

    async def write_members(
        self,
        new: Sequence[tuple[PartyMember, Event]],
        changed: Sequence[tuple[PartyMember, Event]],
    ) -> set[str]:
        missed: set[str] = set()
        paths = await self.paths.of(m.organisation_id for m, _ in [*new, *changed])
        await self.bands.list_bands(searchable(m.full_name) for m, _ in [*new, *changed])
        if new:
            documents = [member_documents.stored(m, paths) for m, _ in new]
            events = {m.id: [event] for m, event in new}
            missed |= await insert_with_events(self.members, documents, events)
        if changed:
            missed |= await self._update(self.members, changed, paths)
        # an import changes no one's cell: only the new members are counted
        await self.counts.place_new(
            {m.id: m.organisation_id for m, _ in new if m.id not in missed and m.organisation_id}
        )
        return missed

    async def write_candidates(self, new: Sequence[tuple[AdmissionCandidate, Event]]) -> set[str]:
        documents = [candidate_documents.stored(c) for c, _ in new]
        events = {c.id: [event] for c, event in new}
        return await insert_with_events(self.candidates, documents, events)

    async def _update(
        self,
        collection: AsyncCollection[Document],
        changed: Sequence[tuple[PartyMember, Event]],
        paths: Mapping[str, list[str]],
    ) -> set[str]:
        """Each member over the version before theirs; the ids of those changed meanwhile."""
        changes = [
            change_of(member_documents.stored(member, paths), [event]) for member, event in changed
        ]
        try:
            return {m.id for m, _ in changed} - await save_aggregates(collection, changes)
        except BulkWriteError:  # a card number taken meanwhile: found below as not written
            return await not_at_version(collection, {m.id: m.version for m, _ in changed})
