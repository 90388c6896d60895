"""Where a member stands in the tree and how a search finds them, written on the member.

FerretDB 1.24 hands PostgreSQL only the equalities at the top of a filter; anything else
(`$in`, `$regex`, `$or`, a dotted path) it decides by reading every document. So a member
carries what the screens ask by equality:
- `scope_ids`: their cell and its ancestors. A caller's scope (one or a few subtrees) is one
  equality on a root, not an `$in` of every organisation under it;
- `search_words`: the words of their name and card number, each whole and by its first three
  letters ("ngu*"), and each name word after the one before it, whole and by its first three
  letters ("nguyen duc", "duc bin*"). A search is one equality on the most telling of these
  its words allow ("nguyen duc bi" on "nguyen duc", "nguyen duc binh" on "duc bin*"); the whole
  phrase is then checked on `search_key`. Few and short, as FerretDB reads every element of
  an array with every document (40 of them made reading a member twice as slow).
An organisation's ancestors never change (nothing moves a cell to another parent), so the
paths are read once per cell and kept.
"""

import itertools
import re
from collections.abc import Iterable, Sequence

from kit.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase
from unidecode import unidecode

from members.repository.organisations import MongoOrganisationDirectory

PARTS = re.compile(r"[^a-z0-9]+")


def searchable(text: str) -> str:
    """Lowercase ASCII: 'Nguyễn Thị Hằng' and 'nguyen thi hang' read the same."""
    return " ".join(unidecode(text).lower().split())


PREFIX = 3  # a word typed in part is looked up by its first three letters


def starting(word: str) -> str:
    return f"{word[:PREFIX]}*"


def search_words(full_name: str, card_number: str) -> list[str]:
    """What `search_key` may be searched by (see the module's note): the card number counts
    whole and in its parts (01.777001: 01 and 777001)."""
    name = searchable(full_name).split()
    cards = searchable(card_number).split()
    words = {*name, *cards, *(part for card in cards for part in PARTS.split(card) if part)}
    found = {*words, *(starting(word) for word in words if len(word) >= PREFIX)}
    for before, word in itertools.pairwise(name):
        found.add(f"{before} {word}")
        if len(word) >= PREFIX:
            found.add(f"{before} {starting(word)}")
    return sorted(found)


def search_word_of(search: str) -> str | None:
    """The `search_words` entry every member a search finds has, the most telling one: the
    last word typed may be a part of one, the words before it are whole."""
    *whole, last = searchable(search).split() or [""]
    *complete, tail = [part for part in PARTS.split(last) if part] or [""]
    if complete:  # a card number: by its parts (01.777001 on "777*")
        return starting(tail) if len(tail) >= PREFIX else max(complete, key=len)
    if len(last) >= PREFIX:
        return f"{whole[-1]} {starting(last)}" if whole else starting(last)
    if len(whole) >= 2:
        return f"{whole[-2]} {whole[-1]}"
    return whole[-1] if whole else None


def phrase_pattern(search: str) -> str:
    """The search as typed, at the beginning of a word of `search_key` (name and card)."""
    return f"(?:^|[^a-z0-9]){re.escape(searchable(search))}"


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
