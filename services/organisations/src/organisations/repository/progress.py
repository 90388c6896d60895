"""Each campaign's progress, kept with every change of its cases instead of counted by a scan.

One document per campaign holds each case's stage and version. A change sets its case's entry
only over an older version, so the same change written twice, or an old one after a newer,
changes nothing; the counts per stage are read from the one document. Missing documents are
made again from the cases (a repair).
"""

import contextlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from enum import Enum
from typing import Generic, Protocol, TypeVar

from kit.mongo import Document, exclusive_writes
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from organisations.domain import Stage

S = TypeVar("S", bound=Enum)
S_co = TypeVar("S_co", bound=Enum, covariant=True)


class StagedCase(Protocol[S_co]):
    @property
    def id(self) -> str: ...

    @property
    def campaign_id(self) -> str | None: ...

    @property
    def stage(self) -> S_co: ...

    @property
    def version(self) -> int: ...


def entry(stage: str, version: int) -> Document:
    return {"stage": stage, "version": version}


class CaseTally(Generic[S]):
    """The tally of one kind of case (its stages `stages`) in collection `name`."""

    def __init__(
        self,
        db: AsyncDatabase[Document],
        cases: AsyncCollection[Document],
        name: str,
        stages: type[S],
    ) -> None:
        self.collection: AsyncCollection[Document] = db[name]
        self.cases = cases
        self.stages = stages

    async def record(self, case: StagedCase[S]) -> None:
        """The case's stage, unless a newer version of it is already kept."""
        if case.campaign_id is None:
            return
        with contextlib.suppress(DuplicateKeyError):  # a newer version is kept
            await self.collection.update_one(
                {
                    "_id": case.campaign_id,
                    f"cases.{case.id}.version": {"$not": {"$gte": case.version}},
                },
                {"$set": {f"cases.{case.id}": entry(case.stage.value, case.version)}},
                upsert=True,
            )

    async def record_opened(self, cases: Iterable[StagedCase[S]]) -> None:
        """Newly opened cases, in one write per campaign; those already kept stay."""
        by_campaign: dict[str, list[StagedCase[S]]] = defaultdict(list)
        for case in cases:
            if case.campaign_id is not None:
                by_campaign[case.campaign_id].append(case)
        async with exclusive_writes(self.collection) as writes:
            for campaign_id, opened in by_campaign.items():
                kept = await writes.find_one({"_id": campaign_id}) or {}
                known = kept.get("cases") or {}
                missing = {
                    f"cases.{case.id}": entry(case.stage.value, case.version)
                    for case in opened
                    if case.id not in known
                }
                if missing:
                    await writes.update_one({"_id": campaign_id}, {"$set": missing}, upsert=True)

    async def stage_counts(self, campaign_id: str) -> dict[S, int]:
        kept = await self.collection.find_one({"_id": campaign_id})
        if kept is None:
            kept = await self.recount(campaign_id)
        cases = (kept.get("cases") or {}).values()
        return dict(Counter(self.stages(case["stage"]) for case in cases))

    async def recount(self, campaign_id: str) -> Document:
        """The campaign's document made again from its cases."""
        cursor = self.cases.find({"campaign_id": campaign_id}, {"stage": 1, "version": 1})
        cases = {d["_id"]: entry(d["stage"], int(d.get("version") or 1)) async for d in cursor}
        kept: Document = {"_id": campaign_id, "cases": cases}
        if cases:
            await self.collection.replace_one({"_id": campaign_id}, kept, upsert=True)
        return kept


class MongoCampaignProgress(CaseTally[Stage]):
    """The dissolution campaigns' tally."""

    def __init__(self, db: AsyncDatabase[Document], cases: AsyncCollection[Document]) -> None:
        super().__init__(db, cases, "campaign_progress", Stage)
