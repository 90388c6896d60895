"""Pages of a list read by keyset: a cursor is the sort key and the id of the last item shown
(opaque to clients: base64 of JSON), the next page is what sorts after it, and a repository
reads one item more than asked to know whether more follow.

    query = all_of(query, after_key("sort_name", after)) if after else query
    found = await collection.find(query).sort([("sort_name", 1), ("_id", 1)]).limit(first + 1)
    return page_of([...], first, after, total, lambda m: cursor(m.sort_name, m.id))
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from kit.errors import DomainError

Item = TypeVar("Item")
Mapped = TypeVar("Mapped")

MAX_PAGE = 500


class BadCursor(DomainError):
    def __init__(self) -> None:
        super().__init__("The `after` cursor is not one this API gave.", field="after")


@dataclass(frozen=True)
class Page(Generic[Item]):
    """What a repository read of a list: the items in order with their cursors, whether more
    follow, the cursor asked after (None: the list's start) and how many the list holds
    (`capped`: at least that many, the list was counted no further)."""

    items: list[Item]
    cursors: list[str]
    has_next: bool
    total: int
    after: str | None = None
    capped: bool = False

    @property
    def has_previous(self) -> bool:
        return self.after is not None

    @property
    def start_cursor(self) -> str | None:
        return self.cursors[0] if self.cursors else None

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None

    def map(self, change: Callable[[Item], Mapped]) -> "Page[Mapped]":
        """The same page of other items, e.g. the domain's from stored documents."""
        items = [change(item) for item in self.items]
        return Page(items, self.cursors, self.has_next, self.total, self.after, self.capped)


def cursor(key: str, item_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, item_id]).encode()).decode()


def cursor_key(text: str) -> tuple[str, str]:
    """The sort key and the id a cursor holds; BAD_USER_INPUT for any text this API did not
    give."""
    try:
        key, item_id = json.loads(base64.urlsafe_b64decode(text.encode()))
    except (ValueError, TypeError, binascii.Error):
        raise BadCursor from None
    if not isinstance(key, str) or not isinstance(item_id, str):
        raise BadCursor
    return key, item_id


def after_key(field: str, text: str) -> dict[str, Any]:
    """The Mongo filter of what sorts after the cursor by (`field`, `_id`)."""
    key, item_id = cursor_key(text)
    return {"$or": [{field: {"$gt": key}}, {field: key, "_id": {"$gt": item_id}}]}


def checked_first(first: int, most: int = MAX_PAGE) -> int:
    """`first` as asked, BAD_USER_INPUT outside 0 to `most`."""
    if not 0 <= first <= most:
        raise DomainError(f"`first` is from 0 to {most}.", field="first", given=first)
    return first


def page_of(
    found: Sequence[Item],
    first: int | None,
    after: str | None,
    total: int,
    cursor_of: Callable[[Item], str],
) -> Page[Item]:
    """The page of `first` items (None: all) from those read after the cursor in order, one
    more than asked at most: that one says more follow."""
    shown = list(found) if first is None else list(found[:first])
    return Page(shown, [cursor_of(item) for item in shown], len(found) > len(shown), total, after)


def page_after(
    items: Sequence[Item],
    first: int,
    after: str | None,
    key_of: Callable[[Item], tuple[str, str]],
) -> Page[Item]:
    """The same keyset page of a list held whole (one that is not stored as it is listed, such
    as one made up in part): the `first` items sorting by (key, id) after the cursor."""
    start = cursor_key(after) if after is not None else None
    ordered = sorted(items, key=key_of)
    following = [item for item in ordered if start is None or key_of(item) > start]
    return page_of(following[: first + 1], first, after, len(items), lambda i: cursor(*key_of(i)))
