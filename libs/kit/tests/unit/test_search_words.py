"""A search is looked up by one of a document's `search_words`: it must never lose a member or
an organisation whose search key (name, then card number or code) the search's phrase begins a
word of."""

import re

import pytest
from kit.search import PREFIX, phrase_pattern, search_word_of, search_words, searchable

PEOPLE = [
    ("Nguyễn Văn Bình", "01.777001"),
    ("Đặng Văn Đức", "01.777002"),
    ("Công Tằng Tôn Nữ Phương Thảo", "79.012345"),
    ("Lý A", "HN-000123"),
    ("Trần Thị Ngọc Ánh", "0100456789"),
    ("Đảng ủy phường Giảng Võ", "3FA2B1-GV"),
    ("Chi bộ Tổ dân phố số 2", "HN.BD.GV.TDP2"),
]


def searches_of(full_name: str, card_number: str) -> set[str]:
    """Every beginning of every run of the words and parts of the name, then the number; but
    the beginning of a word alone shorter than PREFIX ("ng"), which finds that word whole."""
    found = set()
    text = f"{searchable(full_name)} {searchable(card_number)}"
    for start in [0, *(m.end() for m in re.finditer(r"[^a-z0-9]", text))]:
        found.update(text[start:end] for end in range(start + 1, len(text) + 1))
    return {search for search in found if search.strip() and not part_of_a_word(search, text)}


def part_of_a_word(search: str, text: str) -> bool:
    short = len(search) < PREFIX and search.isalnum()
    return short and re.search(rf"(?:^|[^a-z0-9]){search}(?:$|[^a-z0-9])", text) is None


@pytest.mark.parametrize(("full_name", "card_number"), PEOPLE)
def test_every_search_that_finds_a_member_is_looked_up_by_one_of_their_words(
    full_name: str, card_number: str
) -> None:
    words = set(search_words(full_name, card_number))
    key = f"{searchable(full_name)} {searchable(card_number)}"
    for search in searches_of(full_name, card_number):
        assert re.search(phrase_pattern(search), key), search
        word = search_word_of(search)
        assert word is None or word in words, (search, word)


def test_a_search_is_looked_up_by_its_most_telling_words() -> None:
    assert search_word_of("nguyen duc binh") == "duc bin*"
    assert search_word_of("Nguyễn Đức B") == "nguyen duc"
    assert search_word_of("nguyen d") == "nguyen"
    assert search_word_of("777") == "777*"
    assert search_word_of("01.777001") == "777*"
    assert search_word_of("le") == "le"  # a short word alone is looked up whole
    assert search_word_of("") is None
    assert search_word_of("gv.") == "gv"  # a part of a code typed whole
    assert search_word_of("giang vo hn-g") == "hn"
    assert search_word_of("phuong giang vo 3fa2b1") == "vo 3fa*"  # the code after the name


def test_a_search_does_not_find_a_word_in_the_middle_of_another() -> None:
    key = f"{searchable('Nguyễn Văn Bình')} {searchable('01.777001')}"
    assert not re.search(phrase_pattern("guyen"), key)
    assert re.search(phrase_pattern("van bi"), key)


def test_a_short_word_alone_is_found_whole() -> None:
    key = f"{searchable('Lê Thị Lệnh')} {searchable('01.777001')}"
    assert re.search(phrase_pattern("Lê"), key)
    assert re.search(phrase_pattern("lenh"), key)
    assert not re.search(phrase_pattern("ng"), searchable("Nguyễn Văn Bình"))
    assert re.search(phrase_pattern("01"), key)
    assert re.search(phrase_pattern("le th"), key)  # not alone: the start of a word
