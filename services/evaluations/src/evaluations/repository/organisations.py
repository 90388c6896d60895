"""The organisations read model, kept from the organisations service's events."""

from collections.abc import Sequence

from kit.mongo import Document, Index, by_ids, create_indexes, for_each_value, set_or_insert_many
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from evaluations.domain import KnownOrganisation


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


ORGANISATION_DIRECTORY_INDEXES = (Index("within_kind", ("ancestor_ids", "kind")),)


class MongoOrganisationDirectory:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["known_organisations"]

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, ORGANISATION_DIRECTORY_INDEXES)

    async def get(self, organisation_id: str) -> KnownOrganisation | None:
        document = await self.collection.find_one({"_id": organisation_id})
        return organisation_from(document) if document else None

    async def many(self, organisation_ids: Sequence[str]) -> list[KnownOrganisation]:
        found = await by_ids(self.collection, organisation_ids)
        return [organisation_from(document) for document in found]

    async def cells_within(self, organisation_id: str) -> list[str]:
        """The cells under an organisation, or the organisation itself if it is a cell (two
        equality queries: FerretDB would read every cell for the `$or` of both)."""
        below = self.collection.find({"ancestor_ids": organisation_id, "kind": "CELL"}, {"_id": 1})
        cells = [document["_id"] async for document in below]
        itself = await self.collection.find_one(
            {"_id": organisation_id, "kind": "CELL"}, {"_id": 1}
        )
        return [*([itself["_id"]] if itself else []), *cells]

    async def within(self, root_ids: Sequence[str]) -> list[str]:
        """The roots (those known) and every organisation under them."""
        below = await for_each_value(self.collection, "ancestor_ids", root_ids, None, {"_id": 1})
        known = await by_ids(self.collection, root_ids, {"_id": 1})
        return list(dict.fromkeys(d["_id"] for d in [*known, *below]))

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
