"""Where a member stands in the tree, written on the member.

FerretDB 1.24 hands PostgreSQL only the equalities at the top of a filter; anything else
(`$in`, `$regex`, `$or`, a dotted path) it decides by reading every document. So a member
carries `scope_ids`: their cell and its ancestors. A caller's scope (one or a few subtrees) is
one equality on a root, not an `$in` of every organisation under it (how a search finds a
member the same way: kit.search). An organisation's ancestors never change (nothing moves a
cell to another parent), so the paths are read once per cell and kept.
"""

from collections.abc import Iterable, Sequence

from kit.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase

from members.repository.organisations import MongoOrganisationDirectory


class OrganisationPaths:
    """Each known cell's path, [cell, parent, …, root], from the organisations read model."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.directory = MongoOrganisationDirectory(db)
        self.known: dict[str, list[str]] = {}

    async def of(self, organisation_ids: Iterable[str | None]) -> dict[str, list[str]]:
        """The path of each; an organisation not known (yet) stands alone."""
        wanted = {o for o in organisation_ids if o is not None}
        missing = [o for o in wanted if o not in self.known]
        if missing:
            found = await self.directory.ancestries(missing)
            self.known.update((o, sorted(ancestry)) for o, ancestry in found.items())
        return {o: self.known.get(o, [o]) for o in wanted}


def scope_clause(roots: Sequence[str]) -> Document:
    """The members within any of these subtrees."""
    return {"scope_ids": roots[0] if len(roots) == 1 else {"$in": list(roots)}}
