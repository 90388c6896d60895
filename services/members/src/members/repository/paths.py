"""Where a member stands in the tree, written on the member.

FerretDB 1.24 hands PostgreSQL only the equalities at the top of a filter; anything else
(`$in`, `$regex`, `$or`, a dotted path) it decides by reading every document. So a member
carries `scope_ids`: their cell and its ancestors. A caller's scope (one or a few subtrees) is
one equality on a root, not an `$in` of every organisation under it (how a search finds a
member the same way: kit.search).

A restructuring moves organisations to other parents (a hand-over, a committee merged), so a
path is kept only a few seconds (a burst of writes to one cell reads it once). When the tree
changes under a cell, the members it holds are given their new `scope_ids` (`write_anew`); a
replica that read the old path just before keeps it at most PATH_SECONDS. A restructuring's
completion comes before its moves: the members who follow it are written with the paths the
case gives their cells (`placed`), so the moves, told after, find them there already (a store
writes no document an update leaves as it was).
"""

import time
from collections.abc import Iterable, Mapping, Sequence

from kit.mongo import Document
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from members.repository.organisations import MongoOrganisationDirectory

PATH_SECONDS = 5.0


class OrganisationPaths:
    """Each known cell's path, [cell, parent, …, root], from the organisations read model."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.directory = MongoOrganisationDirectory(db)
        self.known: dict[str, tuple[float, list[str]]] = {}  # when read, and the path

    async def of(self, organisation_ids: Iterable[str | None]) -> dict[str, list[str]]:
        """The path of each; an organisation not known (yet) stands alone."""
        wanted = {o for o in organisation_ids if o is not None}
        now = time.monotonic()
        missing = [
            o for o in wanted if now - self.known.get(o, (-PATH_SECONDS, []))[0] >= PATH_SECONDS
        ]
        if missing:
            found = await self.directory.ancestries(missing)
            for organisation_id in missing:
                self.known.pop(organisation_id, None)
            self.known.update((o, (now, sorted(ancestry))) for o, ancestry in found.items())
        return {o: self.known[o][1] if o in self.known else [o] for o in wanted}

    async def write_anew(
        self, members: AsyncCollection[Document], ancestries: Mapping[str, Iterable[str]]
    ) -> int:
        """The members of these organisations, now elsewhere in the tree (their ancestries as
        just read), get their new `scope_ids` (a field they are found by, not their state: no
        version, no event), one write per organisation; how many changed."""
        now = time.monotonic()
        changed = 0
        for organisation_id, ancestry in sorted(ancestries.items()):
            path = sorted(ancestry)
            self.known[organisation_id] = (now, path)
            result = await members.update_many(
                {"organisation_id": organisation_id}, {"$set": {"scope_ids": path}}
            )
            changed += result.modified_count
        return changed


def scope_clause(roots: Sequence[str]) -> Document:
    """The members within any of these subtrees."""
    return {"scope_ids": roots[0] if len(roots) == 1 else {"$in": list(roots)}}
