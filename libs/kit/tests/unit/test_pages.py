import pytest
from kit.errors import DomainError
from kit.pages import BadCursor, checked_first, cursor, cursor_key, page_after, page_of

PEOPLE = [("Lê Văn B", "m2"), ("Nguyễn Thị A", "m1"), ("Lê Văn B", "m10"), ("Trần C", "m3")]


def test_a_cursor_holds_the_sort_key_and_the_id_and_reads_as_neither() -> None:
    made = cursor("Lê Văn B", "m10")
    assert cursor_key(made) == ("Lê Văn B", "m10")
    assert "m10" not in made


@pytest.mark.parametrize("given", ["bm90LWhlcmU=", "not base64!", cursor("a", "b")[:-4], "WzFd"])
def test_a_cursor_this_api_did_not_give_is_bad_input_about_after(given: str) -> None:
    with pytest.raises(BadCursor) as refused:
        cursor_key(given)
    assert (refused.value.code, refused.value.details) == ("BAD_USER_INPUT", {"field": "after"})


def test_one_item_more_than_asked_says_more_follow() -> None:
    read = ["a", "b", "c"]
    page = page_of(read, 2, None, 10, lambda item: cursor(item, item))
    assert (page.items, page.has_next, page.has_previous, page.total) == (
        ["a", "b"],
        True,
        False,
        10,
    )
    assert (page.start_cursor, page.end_cursor) == (cursor("a", "a"), cursor("b", "b"))
    last = page_of(["c"], 2, page.end_cursor, 10, lambda item: cursor(item, item))
    assert (last.items, last.has_next, last.has_previous) == (["c"], False, True)


def test_an_empty_page_has_no_cursors() -> None:
    page = page_of([], 5, cursor("z", "z"), 3, lambda item: cursor(item, item))
    assert (page.start_cursor, page.end_cursor, page.has_next) == (None, None, False)


def test_a_list_held_whole_is_paged_by_sort_key_then_id_after_the_cursor() -> None:
    pages, after = [], None
    while True:
        page = page_after(PEOPLE, 2, after, lambda person: person)
        pages.append(page.items)
        if not page.has_next:
            break
        after = page.end_cursor
    assert pages == [
        [("Lê Văn B", "m10"), ("Lê Văn B", "m2")],
        [("Nguyễn Thị A", "m1"), ("Trần C", "m3")],
    ]
    assert page.total == len(PEOPLE)


def test_first_is_refused_outside_its_bounds() -> None:
    assert checked_first(0, 20) == 0
    for wrong in (-1, 21):
        with pytest.raises(DomainError) as refused:
            checked_first(wrong, 20)
        assert refused.value.details == {"field": "first", "given": wrong}
