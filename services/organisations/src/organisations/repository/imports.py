"""A bulk import's reads and writes: one query per kind of thing read, one bulk write per kind
of change, each new or changed organisation with its event in its own document (the outbox)."""

from collections.abc import Sequence

from kit.aggregates import save_aggregates
from kit.mongo import Document, exclusive_writes
from kit.mongo.bulk import not_at_version
from kit.mongo.lookups import for_each_value
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from organisations.domain import Organisation, OrganisationStatus
from organisations.repository.organisation_documents import from_document, guarded, to_document
from organisations.repository.organisations import MongoOrganisationRepository
from organisations.service.ports import Change, Event


class MongoOrganisationImports:
    def __init__(self, organisations: MongoOrganisationRepository) -> None:
        self.collection: AsyncCollection[Document] = organisations.collection

    async def by_codes(self, codes: Sequence[str]) -> list[Organisation]:
        # a query per code: FerretDB reads every organisation for an `$in`
        found = await for_each_value(self.collection, "code", codes, None, {PENDING: 0})
        return [from_document(document) for document in found]

    async def covering(
        self, parent_ids: Sequence[str], groups: Sequence[str]
    ) -> list[Organisation]:
        if not parent_ids or not groups:
            return []
        where = {"status": OrganisationStatus.ACTIVE.value, "coverage": {"$in": list(groups)}}
        found = await for_each_value(self.collection, "parent_id", parent_ids, where, {PENDING: 0})
        return [from_document(d) for d in found]

    async def write(
        self, new: Sequence[tuple[Organisation, Event]], changed: Sequence[Change]
    ) -> set[str]:
        missed: set[str] = set()
        async with exclusive_writes(self.collection) as writes:  # one turn for the import
            if new:
                documents = [{**to_document(o), PENDING: [event]} for o, event in new]
                try:
                    await writes.insert_many(documents, ordered=False)
                except BulkWriteError as error:
                    failed = error.details.get("writeErrors", [])
                    missed |= {documents[e["index"]]["_id"] for e in failed}
            if changed:
                missed |= await self._update(writes, changed)
        return missed

    async def _update(
        self, writes: AsyncCollection[Document], changed: Sequence[Change]
    ) -> set[str]:
        ids = {change.organisation.id for change in changed}
        try:
            return ids - await save_aggregates(writes, [guarded(c) for c in changed])
        except BulkWriteError:  # a code taken meanwhile: found below as not written
            wanted = {change.organisation.id: change.organisation.version for change in changed}
            return await not_at_version(writes, wanted)
