"""A search across a wide scope (several wards, the city), read a band of names at a time.

The members a search finds are read band after band in name order (name_bands) until the page
is full and COUNTED of them are counted, each band by equalities the store looks up: the search
word and the band. Where the phrase is at the start of every name of a band ("nguyen" in
"nguyen van"), the band holds nothing but matches and is read in the smaller bands under it.
Where a band's name is the start of the phrase ("nguyen" for "nguyen duc binh"), the band
under it that the phrase goes on in is read so, and the rest of the band at once, with that one
left out by the store. Any other band is read whole: the phrase is further in its names, if
at all, and those are few. With no bands listed (before the upgrade) the first read is every
member the word finds, as before.

The total counts the matches up to COUNTED, read from the list's start; past that the page says
so (`capped`). The caller's scope and the standing are decided on the keys read here, and only
the members shown are read whole.
"""

import asyncio
from collections import deque
from dataclasses import dataclass, field

from kit.mongo import Document
from kit.mongo.lookups import by_ids
from kit.pages import Page, cursor, cursor_key
from kit.search import finds, phrase_pattern, search_word_of, searchable
from pymongo.asynchronous.collection import AsyncCollection

from members.repository.aggregates import WITHOUT_OUTBOX
from members.repository.name_bands import EVERY_NAME, Band, NameBands
from members.repository.paths import scope_clause
from members.service.ports import MemberFilter

COUNTED = 100  # a search's total counts this many at most
READS_AT_ONCE = 6
FEW_NAMES = 12  # a band of the phrase's with as few whole names under it is read at once
KEYS = {"sort_name": 1, "organisation_id": 1, "standing": 1}

Key = tuple[str, str]  # (sort_name, _id): the list's order


@dataclass
class _Visit:
    under: list[Band]  # the bands to go through in its place, in order
    reads: list[Document]  # what to read now
    rest: list[Document] = field(default_factory=list)  # a band but one, read beside the walk


@dataclass
class _Reads:
    bands: list[Document]  # read before the walk goes on
    rest: list[Document]  # read while it goes on: what they find may sort anywhere


class BandSearch:
    def __init__(self, members: AsyncCollection[Document], bands: NameBands) -> None:
        self.members = members
        self.bands = bands

    async def page(
        self, where: MemberFilter, first: int | None, after: str | None
    ) -> Page[Document]:
        """Three steps: walk the bands in name order, gather the matches they hold, and cut the
        page once it is full and COUNTED are counted (or the bands run out)."""
        phrase, word = searchable(where.search or ""), search_word_of(where.search or "")
        pattern = phrase_pattern(phrase)
        matching: Document = {"search_words": word, "search_key": {"$regex": pattern}}
        subtree = _one_subtree(where)
        start = cursor_key(after) if after else None
        walk = _Walk(self.bands, phrase, {**matching, **subtree}, start)
        found: dict[Key, Document] = {}
        if subtree and where.scope.person_id:  # the caller's own record, outside it perhaps
            await self._gather(found, where, [{**matching, "_id": where.scope.person_id}])
        rest: list[asyncio.Task[list[Document]]] = []
        try:
            while True:
                reads = await walk.next_reads(len(found) >= COUNTED)
                rest += [asyncio.ensure_future(self._read(query)) for query in reads.rest]
                await self._gather(found, where, reads.bands)
                final, following = _settled(found, walk, start)
                full = first is not None and len(following) > first and len(final) >= COUNTED
                if walk.done or full:
                    # what the rest finds only adds to a full page's keys: it stays full
                    self._keep(found, where, await asyncio.gather(*rest))
                    break
        finally:
            for unfinished in rest:
                unfinished.cancel()
        final, following = _settled(found, walk, start)
        return await self._cut(final, following, first, after, capped=walk.capped)

    async def _cut(
        self,
        final: list[Key],
        following: list[Key],
        first: int | None,
        after: str | None,
        capped: bool,
    ) -> Page[Document]:
        """The page of the keys after the cursor, its members read whole."""
        shown = following if first is None else following[:first]
        read = await by_ids(self.members, [i for _, i in shown], WITHOUT_OUTBOX)
        whole = {d["_id"]: d for d in read}
        kept = [whole[i] for _, i in shown if i in whole]
        total = COUNTED if capped else len(final)
        has_next = len(following) > len(shown)
        cursors = [cursor(d["sort_name"], d["_id"]) for d in kept]
        return Page(kept, cursors, has_next, total, after, capped)

    async def _gather(
        self, found: dict[Key, Document], where: MemberFilter, reads: list[Document]
    ) -> None:
        """Add to `found` what the reads find that the caller may see."""
        self._keep(found, where, await asyncio.gather(*map(self._read, reads)))

    @staticmethod
    def _keep(found: dict[Key, Document], where: MemberFilter, read: list[list[Document]]) -> None:
        for documents in read:
            found.update((_key(d), d) for d in documents if _shown(where, d))

    async def _read(self, query: Document) -> list[Document]:
        return await self.members.find(query, KEYS).to_list()


class _Walk:
    """The bands still to read, in name order, and the reads of the next ones."""

    def __init__(self, bands: NameBands, phrase: str, base: Document, start: Key | None) -> None:
        self.bands = bands
        self.phrase = phrase
        self.base = base
        self.start = start
        self.queue = deque([EVERY_NAME])
        self.skipped = False  # bands before the cursor left unread: the total is not known

    @property
    def done(self) -> bool:
        return not self.queue

    @property
    def capped(self) -> bool:
        return bool(self.queue) or self.skipped

    def settled(self, key: Key) -> bool:
        """Whether no band still to read can hold a name before this one."""
        return not self.queue or key[0] < self.queue[0].text

    async def next_reads(self, counted: bool) -> _Reads:
        """The next READS_AT_ONCE reads, going into the bands under the ones visited; once
        COUNTED are `counted`, the bands wholly before the cursor are left out."""
        reads: list[Document] = []
        rest: list[Document] = []
        while self.queue and len(reads) < READS_AT_ONCE:
            visiting = [self.queue.popleft() for _ in range(min(READS_AT_ONCE, len(self.queue)))]
            if self.start and counted:
                self.skipped |= any(_before(band, self.start[0]) for band in visiting)
                visiting = [band for band in visiting if not _before(band, self.start[0])]
            visits = await asyncio.gather(*map(self._visit, visiting))
            self.queue.extendleft(reversed([band for visit in visits for band in visit.under]))
            reads += [read for visit in visits for read in visit.reads]
            rest += [read for visit in visits for read in visit.rest]
        return _Reads(reads, rest)

    async def _visit(self, band: Band) -> _Visit:
        phrase = self.phrase
        within = {band.field: band.text} if band.level else {}
        whole = _Visit([], [{**self.base, **within}])
        every = band.level > 0 and finds(phrase, band.text)  # every name of it matches
        if band.level == 3 or (band.level and not every and not _goes_on(phrase, band)):
            return whole
        under = await self.bands.children(band)
        if every:
            return whole if band.level == 2 and len(under) <= FEW_NAMES else _Visit(under, [])
        on = [b for b in under if finds(phrase, b.text) or _goes_on(phrase, b)]
        if not on:
            return whole
        if len(on) > 1:
            return _Visit(under, [])
        rest = {**self.base, **within, on[0].field: {"$ne": on[0].text}}
        return _Visit(on, [], [rest])


def _settled(
    found: dict[Key, Document], walk: _Walk, start: Key | None
) -> tuple[list[Key], list[Key]]:
    """The keys found that no band to come can hold one before, in order, and of them those
    after the cursor."""
    final = sorted(key for key in found if walk.settled(key))
    return final, [key for key in final if start is None or key > start]


def _goes_on(phrase: str, band: Band) -> bool:
    """Whether the band's name is the start of the phrase: the phrase may start its names."""
    return phrase.startswith(f"{band.text} ")


def _before(band: Band, name: str) -> bool:
    """Whether every name of the band sorts before this one."""
    return band.text < name[: len(band.text)]


def _key(document: Document) -> Key:
    return document["sort_name"], document["_id"]


def _shown(where: MemberFilter, document: Document) -> bool:
    """Within the caller's scope, and of the standing asked."""
    if where.standing is not None and document.get("standing") != where.standing.value:
        return False
    visible = where.scope.organisation_ids
    return (
        visible is None
        or document.get("organisation_id") in visible
        or document["_id"] == where.scope.person_id
    )


def searched_across(where: MemberFilter) -> bool:
    """Whether a search may be read by bands: by a word, across the caller's scope (not one
    organisation's members, nor those away)."""
    return (
        where.organisation_id is None
        and where.away is None
        and search_word_of(where.search or "") is not None
    )


def _one_subtree(where: MemberFilter) -> Document:
    """A scope of one subtree as the equality each read adds (the store looks the band's
    members of the subtree up together); a scope of several is left to `_shown`."""
    roots = where.scope.roots if where.scope.organisation_ids is not None else frozenset()
    return scope_clause(sorted(roots)) if len(roots) == 1 else {}
