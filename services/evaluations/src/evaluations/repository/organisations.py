"""The organisations read model, kept from the organisations service's events."""

import asyncio
from collections.abc import Mapping, Sequence
from datetime import date

from kit.mongo import Document
from kit.mongo.bulk import bulk_write_in_parts, set_or_insert_many
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids, for_each_value
from kit.mongo.stamped import Stamped
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from evaluations.domain import KnownOrganisation
from evaluations.domain.roster import FormerAncestry


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
        former=tuple(
            FormerAncestry(f["case_id"], date.fromisoformat(f["until"]), tuple(f["ancestor_ids"]))
            for f in document.get("former") or []
        ),
    )


def former_document(former: FormerAncestry) -> Document:
    return {
        "case_id": former.case_id,
        "until": former.until.isoformat(),
        "ancestor_ids": list(former.ancestor_ids),
    }


ORGANISATION_DIRECTORY_INDEXES = (
    Index("within_kind", ("ancestor_ids", "kind")),
    Index("formerly_within_kind", ("former_ancestor_ids", "kind")),
)


class MongoOrganisationDirectory:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["known_organisations"]
        # the cells under an organisation (on a day), kept until the tree changes: a summary
        # of the city reads every cell of it otherwise
        self.cells: Stamped[tuple[str, date | None], tuple[str, ...]] = Stamped(
            db["stamps"], "known_organisations"
        )

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, ORGANISATION_DIRECTORY_INDEXES)

    async def get(self, organisation_id: str) -> KnownOrganisation | None:
        document = await self.collection.find_one({"_id": organisation_id})
        return organisation_from(document) if document else None

    async def many(self, organisation_ids: Sequence[str]) -> list[KnownOrganisation]:
        found = await by_ids(self.collection, organisation_ids)
        return [organisation_from(document) for document in found]

    async def cells_within(self, organisation_id: str, on: date | None = None) -> list[str]:
        """The cells under an organisation (on that day, when given: before a restructuring's
        effective date, those under it then), or the organisation itself if it is a cell."""
        key = (organisation_id, on)
        return list(await self.cells.get(key, lambda: self._cells_within(organisation_id, on)))

    async def _cells_within(self, organisation_id: str, on: date | None) -> tuple[str, ...]:
        """An equality query each (FerretDB would read every cell for the `$or` of both)."""
        formerly = {"former_ancestor_ids": organisation_id, "kind": "CELL"}
        below, before, itself = await asyncio.gather(  # side by side: a city's take a while
            self.collection.find({"ancestor_ids": organisation_id, "kind": "CELL"}).to_list(),
            self.collection.find(formerly).to_list() if on is not None else asyncio.sleep(0, []),
            self.collection.find_one({"_id": organisation_id, "kind": "CELL"}, {"_id": 1}),
        )
        found = [organisation_from(document) for document in [*below, *before]]
        cells = list(dict.fromkeys(c.id for c in found if organisation_id in c.ancestry_on(on)))
        return (*([itself["_id"]] if itself else []), *cells)

    async def within(self, root_ids: Sequence[str]) -> list[str]:
        """The roots (those known) and every organisation under them."""
        below = await for_each_value(self.collection, "ancestor_ids", root_ids, None, {"_id": 1})
        known = await by_ids(self.collection, root_ids, {"_id": 1})
        return list(dict.fromkeys(d["_id"] for d in [*known, *below]))

    async def below(self, organisation_ids: Sequence[str]) -> dict[str, list[KnownOrganisation]]:
        """The organisations under each, now or formerly."""
        found = {  # one found under an id now and formerly is one organisation
            document["_id"]: organisation_from(document)
            for field in ("ancestor_ids", "former_ancestor_ids")
            for document in await for_each_value(self.collection, field, organisation_ids)
        }.values()
        return {
            i: [
                o
                for o in found
                if i in o.ancestor_ids or any(i in f.ancestor_ids for f in o.former)
            ]
            for i in organisation_ids
        }

    async def remember_former(self, former: Mapping[str, FormerAncestry]) -> None:
        """Keep where each stood before a restructuring, once (a redelivery adds nothing)."""
        await bulk_write_in_parts(
            self.collection,
            [
                UpdateOne(
                    {"_id": organisation_id},
                    {
                        "$addToSet": {
                            "former": former_document(f),
                            "former_ancestor_ids": {"$each": list(f.ancestor_ids)},
                        }
                    },
                )
                for organisation_id, f in former.items()
            ],
            list(former),
            tell=False,
        )
        await self.cells.moved_on()

    async def remember(self, organisation: KnownOrganisation) -> None:
        """A version guard: an older or repeated event changes nothing."""
        guard, fields = remembered(organisation)
        try:
            await self.collection.update_one(guard, {"$set": fields}, upsert=True)
        except DuplicateKeyError:  # stored meanwhile: apply unless a newer version is there
            await self.collection.update_one(guard, {"$set": fields})
        await self.cells.moved_on()

    async def remember_many(self, organisations: Sequence[KnownOrganisation]) -> None:
        """As `remember` does each, in bulk."""
        await set_or_insert_many(self.collection, [remembered(o) for o in organisations])
        await self.cells.moved_on()


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
