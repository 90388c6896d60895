"""The read models kept from the organisations service's events: organisations and cases."""

from collections.abc import Collection, Sequence
from typing import Any

from kit.mongo import Document
from kit.mongo.bulk import set_or_insert_many
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids, for_each_value
from kit.mongo.stamped import Stamped
from kit.outbox import push_events
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from members.domain import DissolutionCase, KnownOrganisation
from members.domain.organisations import ancestry
from members.repository.documents import day, day_of


def organisation_from(document: Document) -> KnownOrganisation:
    return KnownOrganisation(
        id=document["_id"],
        code=document["code"],
        name=document["name"],
        kind=document["kind"],
        cell_type=document.get("cell_type"),
        parent_id=document.get("parent_id"),
        status=document["status"],
        coverage=list(document.get("coverage") or []),
        ancestor_ids=list(document.get("ancestor_ids") or []),
        dissolved_on=day_of(document.get("dissolved_on")),
        version=int(document.get("version") or 0),
    )


# the subtree of roots (`within`: each `$or` branch on its own index) and the residential cells
# under a ward committee, in code order
ORGANISATION_DIRECTORY_INDEXES = (
    Index("parent_cells_by_code", ("parent_id", "kind", "cell_type", "code")),
    Index("ancestor_cells_by_code", ("ancestor_ids", "kind", "cell_type", "code")),
)


class MongoOrganisationDirectory:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["known_organisations"]
        # the subtrees callers' scopes are made of, kept until the tree changes
        self.subtrees: Stamped[frozenset[str], frozenset[str]] = Stamped(
            db["stamps"], "known_organisations"
        )

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, ORGANISATION_DIRECTORY_INDEXES)

    async def get(self, organisation_id: str) -> KnownOrganisation | None:
        document = await self.collection.find_one({"_id": organisation_id})
        return organisation_from(document) if document else None

    async def get_many(self, organisation_ids: Sequence[str]) -> list[KnownOrganisation]:
        return [organisation_from(d) for d in await by_ids(self.collection, organisation_ids)]

    async def ancestries(self, organisation_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        found = await by_ids(self.collection, organisation_ids, {"parent_id": 1, "ancestor_ids": 1})
        return {document["_id"]: _ancestry(document) for document in found}

    async def within(self, roots: Collection[str]) -> frozenset[str]:
        """The roots and every organisation under them (kept until the tree changes: a city
        committee's is every organisation of the city, read for each request otherwise)."""
        return await self.subtrees.get(frozenset(roots), lambda: self._within(sorted(roots)))

    async def _within(self, wanted: list[str]) -> frozenset[str]:
        """An equality query per root and field (FerretDB would read every organisation for an
        `$or` of `$in`s)."""
        under = [
            *await for_each_value(self.collection, "ancestor_ids", wanted, None, {"_id": 1}),
            *await for_each_value(self.collection, "parent_id", wanted, None, {"_id": 1}),
        ]
        return frozenset(wanted) | {document["_id"] for document in under}

    async def residential_cells_of(self, ward_committee_id: str) -> list[KnownOrganisation]:
        residential = {"kind": "CELL", "cell_type": "RESIDENTIAL"}
        found = [
            *await for_each_value(self.collection, "parent_id", [ward_committee_id], residential),
            *await for_each_value(
                self.collection, "ancestor_ids", [ward_committee_id], residential
            ),
        ]
        cells = {document["_id"]: organisation_from(document) for document in found}
        return sorted(cells.values(), key=lambda cell: cell.code)

    async def remember(self, organisation: KnownOrganisation) -> bool:
        try:
            guard, state = remembered(organisation)
            result = await self.collection.update_one(guard, {"$set": state}, upsert=True)
        except DuplicateKeyError:
            return False  # a newer (or the same) version is already kept
        changed = result.modified_count == 1 or result.upserted_id is not None
        if changed:
            await self.subtrees.moved_on()
        return changed

    async def remember_many(
        self, organisations: Sequence[KnownOrganisation]
    ) -> dict[str, frozenset[str]]:
        """One read for both what was known and where (a restructuring's moves are hundreds
        of organisations a batch)."""
        before = await self.ancestries([o.id for o in organisations])
        await set_or_insert_many(
            self.collection, [remembered(o) for o in organisations], known=set(before)
        )
        await self.subtrees.moved_on()
        return before


def remembered(organisation: KnownOrganisation) -> tuple[Document, Document]:
    """The guard and the state that keep this version unless a newer one is kept."""
    state = {
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind,
        "cell_type": organisation.cell_type,
        "parent_id": organisation.parent_id,
        "status": organisation.status,
        "coverage": organisation.coverage,
        "ancestor_ids": organisation.ancestor_ids,
        "dissolved_on": day(organisation.dissolved_on),
        "version": organisation.version,
    }
    return {"_id": organisation.id, "version": {"$lt": organisation.version}}, state


def case_from(document: Document) -> DissolutionCase:
    return DissolutionCase(
        id=document["_id"],
        cell_id=document["cell_id"],
        ward_committee_id=document["ward_committee_id"],
        campaign_id=document.get("campaign_id"),
        decided=bool(document.get("decided")),
        effective_on=day_of(document.get("effective_on")),
        relocated=bool(document.get("relocated")),
        decision_number=document.get("decision_number"),
        decided_on=day_of(document.get("decided_on")),
    )


# the decided cases of the cells where members were just registered
CASE_INDEXES = (Index("cases_by_cell", ("cell_id",)),)


class MongoCaseBook:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["dissolution_cases"]
        # every decided case, kept until a case changes: each batch of registrations asks
        # whether its cells are dissolving, and they seldom are
        self.decided: Stamped[str, tuple[DissolutionCase, ...]] = Stamped(
            db["stamps"], "dissolution_cases"
        )

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, CASE_INDEXES)

    async def decided_for_cells(self, cell_ids: Collection[str]) -> list[DissolutionCase]:
        wanted = set(cell_ids)
        decided = await self.decided.get("decided", self._decided)
        return [case for case in decided if case.cell_id in wanted]

    async def _decided(self) -> tuple[DissolutionCase, ...]:
        """Every case read (few: one a dissolved cell), those decided kept."""
        documents = await self.collection.find({}, {"pending_events": 0}).to_list()
        return tuple(case for case in map(case_from, documents) if case.decided)

    async def get(self, case_id: str) -> DissolutionCase | None:
        document = await self.collection.find_one({"_id": case_id}, {"pending_events": 0})
        return case_from(document) if document else None

    async def remember(self, case: DissolutionCase) -> None:
        state: Document = {"cell_id": case.cell_id, "ward_committee_id": case.ward_committee_id}
        on_insert: Document = {"relocated": False}
        if case.campaign_id is not None:
            state["campaign_id"] = case.campaign_id
        if case.decided:
            state |= {
                "decided": True,
                "effective_on": day(case.effective_on),
                "decision_number": case.decision_number,
                "decided_on": day(case.decided_on),
            }
        else:
            on_insert["decided"] = False
        update = {"$set": state, "$setOnInsert": on_insert}
        try:
            await self.collection.update_one({"_id": case.id}, update, upsert=True)
        except DuplicateKeyError:  # another process inserted it first
            await self.collection.update_one({"_id": case.id}, update, upsert=True)
        await self.decided.moved_on()

    async def mark_relocated(self, case: DissolutionCase, event: dict[str, Any]) -> bool:
        result = await self.collection.update_one(
            {"_id": case.id, "relocated": {"$ne": True}},
            {"$set": {"relocated": True}, "$push": push_events([event])},
        )
        await self.decided.moved_on()
        return result.modified_count == 1


def _ancestry(document: Document) -> frozenset[str]:
    """The organisation's ancestry as kept."""
    return ancestry(document["_id"], document.get("parent_id"), document.get("ancestor_ids") or [])
