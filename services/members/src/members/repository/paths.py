"""Where a member stands in the tree and how a search finds them, written on the member.

FerretDB 1.24 hands PostgreSQL only the equalities at the top of a filter; anything else
(`$in`, `$regex`, `$or`, a dotted path) it decides by reading every document. So a member
carries what the screens ask by equality:
- `scope_ids`: their cell and its ancestors. A caller's scope (one or a few subtrees) is one
  equality on a root, not an `$in` of every organisation under it;
- `search_words`: the beginnings of each word of their name and card number, and of each name
  word after the one before it. A search is one equality on its last one or two words
  ("nguyen duc b" on "duc b"); the whole phrase is then checked on `search_key`.
An organisation's ancestors never change (nothing moves a cell to another parent), so the
paths are read once per cell and kept.
"""

import re
from collections.abc import Iterable, Sequence

from kit.mongo import Document, by_ids
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from unidecode import unidecode

PARTS = re.compile(r"[^a-z0-9]+")


def searchable(text: str) -> str:
    """Lowercase ASCII: 'Nguyễn Thị Hằng' and 'nguyen thi hang' read the same."""
    return " ".join(unidecode(text).lower().split())


def beginnings(word: str) -> list[str]:
    return [word[:n] for n in range(1, len(word) + 1)]


def search_words(full_name: str, card_number: str) -> list[str]:
    """What `search_key` may be searched by: a name's words, each alone and after the word
    before it, and the card number whole and in its parts (01.777001: 01, 777001), each by
    any beginning."""
    words: set[str] = set()
    name = searchable(full_name).split()
    for before, word in zip([None, *name], name, strict=False):
        words.update(beginnings(word))
        if before is not None:
            words.update(f"{before} {start}" for start in beginnings(word))
    for card in searchable(card_number).split():
        words.update(beginnings(card))
        for part in PARTS.split(card):
            words.update(beginnings(part))
    return sorted(words)


def search_word_of(search: str) -> str | None:
    """The one `search_words` entry every member a search finds has: its last two words."""
    words = searchable(search).split()
    return " ".join(words[-2:]) if words else None


def phrase_pattern(search: str) -> str:
    """The search as typed, at the beginning of a word of `search_key` (name and card)."""
    return f"(?:^|[^a-z0-9]){re.escape(searchable(search))}"


def path_of(document: Document) -> list[str]:
    ancestors = [document.get("parent_id"), *(document.get("ancestor_ids") or [])]
    return list(dict.fromkeys([document["_id"], *(a for a in ancestors if a)]))


class OrganisationPaths:
    """Each known cell's path, [cell, parent, …, root], from the organisations read model."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["known_organisations"]
        self.known: dict[str, list[str]] = {}

    async def of(self, organisation_ids: Iterable[str | None]) -> dict[str, list[str]]:
        """The path of each; an organisation not known (yet) stands alone."""
        wanted = {o for o in organisation_ids if o is not None}
        missing = [o for o in wanted if o not in self.known]
        if missing:
            found = await by_ids(self.collection, missing, {"parent_id": 1, "ancestor_ids": 1})
            self.known.update((d["_id"], path_of(d)) for d in found)
        return {o: self.known.get(o, [o]) for o in wanted}


def scope_clause(roots: Sequence[str]) -> Document:
    """The members within any of these subtrees."""
    return {"scope_ids": roots[0] if len(roots) == 1 else {"$in": list(roots)}}
