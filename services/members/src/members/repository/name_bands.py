"""The members' name order cut where words end, so that a search reads a band of names at a
time instead of every member its word finds.

FerretDB 1.24 reads every document an equality returns and sorts them itself: a search for
"nguyen" read the 7,167 members of a district who have the word, to show three. A member
carries the first word of their name and the first two (`name_band_1`, `name_band_2`; the whole
name is `sort_name`), and `name_bands` lists the bands that hold someone — each first word,
the first two words under it, the whole names under those — so that a search goes through
them in name order (member_search). A band is listed before a member in it is written, and is
never taken off: a renamed member leaves a band behind that a search reads for nothing.

The lists of bands are kept a while in the process (BANDS_SECONDS); a band this process lists
is added to them at once. On FerretDB one process writes a service's database; with several
replicas (MongoDB), a member of a brand-new band shows in another replica's searches after
BANDS_SECONDS at most. What a process keeps is bounded (KEPT_BANDS listed, KEPT_LISTS lists):
a band it does not remember is inserted again, and refused as a duplicate if it is listed
(FerretDB 1.24 inserts 5,000 new bands in 0.14 s and refuses 5,000 listed ones in 1.9 s, where
looking 5,000 up first took 1.7 s: an import's whole names are mostly new).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from cachetools import LRUCache, TTLCache
from kit.mongo import Document
from kit.mongo.bulk import duplicates_among
from kit.mongo.indexes import Index, create_indexes
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

FIELDS = ("name_band_1", "name_band_2", "sort_name")  # the member's field of each level
BANDS_SECONDS = 60.0
KEPT_BANDS = 200_000  # bands a process remembers as listed (about 30 MB at most)
KEPT_LISTS = 10_000  # lists of the bands under one, kept BANDS_SECONDS each
BAND_INDEXES = (Index("by_parent", ("parent",)),)


@dataclass(frozen=True)
class Band:
    """Members whose name starts with `text`, cut at a word's end: the first word (level 1),
    the first two (2), the whole name (3); level 0 is every member."""

    level: int
    text: str

    @property
    def key(self) -> str:
        return f"{self.level}:{self.text}"

    @property
    def field(self) -> str:
        return FIELDS[self.level - 1]


EVERY_NAME = Band(0, "")


def bands_of(sort_name: str) -> list[Band]:
    words = sort_name.split()
    return [Band(1, " ".join(words[:1])), Band(2, " ".join(words[:2])), Band(3, sort_name)]


def band_fields(sort_name: str) -> Document:
    """What a member is found by in their bands (the whole name is their `sort_name`)."""
    first, first_two, _ = bands_of(sort_name)
    return {first.field: first.text, first_two.field: first_two.text}


@dataclass
class _Kept:
    listed: LRUCache[str, bool] = field(default_factory=lambda: LRUCache(KEPT_BANDS))
    children: TTLCache[str, list[Band]] = field(
        default_factory=lambda: TTLCache(KEPT_LISTS, BANDS_SECONDS)
    )


_KEPT: dict[str, _Kept] = {}  # by database: the repositories of one database share it


class NameBands:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["name_bands"]
        self.kept = _KEPT.setdefault(db.name, _Kept())

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, BAND_INDEXES)

    async def list_bands(self, sort_names: Iterable[str]) -> None:
        """The bands of these names listed, those not listed yet inserted (before the members
        in them are written)."""
        unknown: dict[str, Document] = {}
        for name in sort_names:
            parent = EVERY_NAME
            for band in bands_of(name):
                if band.key not in self.kept.listed:
                    unknown[band.key] = {"_id": band.key, "parent": parent.key, "text": band.text}
                parent = band
        if not unknown:
            return
        documents = list(unknown.values())
        listed: set[int] = set()
        try:
            await self.collection.insert_many(documents, ordered=False)
        except BulkWriteError as error:  # listed before; anything else is raised
            listed = set(duplicates_among(error))
        for key in unknown:
            self.kept.listed[key] = True
        for position, document in enumerate(documents):
            if position not in listed:
                self.kept.children.pop(document["parent"], None)

    async def children(self, band: Band) -> list[Band]:
        """The bands under this one, in name order."""
        kept = self.kept.children.get(band.key)
        if kept is not None:
            return kept
        documents = self.collection.find({"parent": band.key}, {"text": 1})
        found = sorted([Band(band.level + 1, d["text"]) async for d in documents], key=_text)
        self.kept.children[band.key] = found
        return found


def _text(band: Band) -> str:
    return band.text
