"""How a search by name finds a document by one equality, on a store that reads every
document for anything else.

FerretDB 1.24 hands PostgreSQL only the equalities at the top of a filter; a `$regex` it
decides by reading every document. So a searchable document carries `search_words`: the words
of its name and of its code (or card number), each whole and by its first three letters
("ngu*"), and each word after the one before it, whole and by its first three letters
("nguyen duc", "duc bin*", the code after the name's last word). A search is one equality on
the most telling of these its words allow ("nguyen duc bi" on "nguyen duc", "nguyen duc binh"
on "duc bin*"); the whole phrase is then checked on the document's search key
(`phrase_pattern`), at the beginning of a word. Few and short, as FerretDB reads every
element of an array with every document (40 of them made reading a member twice as slow).

A search of one word shorter than PREFIX is of that word whole: "le" finds Lê and Lệ, not
Lệnh, and "vo" Giảng Võ (the short family names, Lê, Võ, Đỗ, Hồ, Vũ, Lý, are what is typed
so). Every search of letters is one equality: none reads every document.
"""

import itertools
import re

from unidecode import unidecode

PARTS = re.compile(r"[^a-z0-9]+")
PREFIX = 3  # a word typed in part is looked up by its first three letters


def searchable(text: str) -> str:
    """Lowercase ASCII with single spaces: 'Nguyễn Thị Hằng' and 'nguyen  thi hang' read the
    same."""
    return " ".join(unidecode(text).lower().split())


def starting(word: str) -> str:
    return f"{word[:PREFIX]}*"


def search_words(name: str, code: str) -> list[str]:
    """What a search key of the name and the code may be searched by (see the module's note):
    the code counts whole and in its parts (01.777001: 01 and 777001), and after the name's
    last word ("vo hn-gv", "vo hn-*")."""
    words_of_name = searchable(name).split()
    codes = searchable(code).split()
    words = {*words_of_name, *codes, *(part for c in codes for part in PARTS.split(c) if part)}
    found = {*words, *(starting(word) for word in words if len(word) >= PREFIX)}
    for before, word in itertools.pairwise([*words_of_name, *codes]):
        found.add(f"{before} {word}")
        if len(word) >= PREFIX:
            found.add(f"{before} {starting(word)}")
    return sorted(found)


def search_word_of(search: str) -> str | None:
    """The `search_words` entry every document a search finds has, the most telling one: the
    last word typed may be a part of one, the words before it are whole."""
    *whole, last = searchable(search).split() or [""]
    parts = [part for part in PARTS.split(last) if part]
    if parts != [last]:  # a code typed by its parts: 01.777001 on "777*", "gv." on "gv"
        *complete, tail = parts if last[-1:].isalnum() else [*parts, ""]
        if len(tail) >= PREFIX:
            return starting(tail)
        if complete:
            return max(complete, key=len)
        return whole[-1] if whole else None
    if len(last) >= PREFIX:
        return f"{whole[-1]} {starting(last)}" if whole else starting(last)
    if len(whole) >= 2:
        return f"{whole[-2]} {whole[-1]}"
    if whole:
        return whole[-1]
    return last or None  # a short word alone: looked up whole


def phrase_pattern(search: str) -> str:
    """The search as typed, at the beginning of a word of a search key (and, a short word
    alone, to its end)."""
    phrase = searchable(search)
    end = "(?:$|[^a-z0-9])" if _short_word(phrase) else ""
    return f"(?:^|[^a-z0-9]){re.escape(phrase)}{end}"


def _short_word(phrase: str) -> bool:
    return 0 < len(phrase) < PREFIX and phrase.isalnum()


def finds(search: str, text: str) -> bool:
    """Whether a search finds this text as the store would: the phrase as typed, at the
    beginning of a word, ignoring diacritics and case (for a list held whole)."""
    return re.search(phrase_pattern(search), searchable(text)) is not None
