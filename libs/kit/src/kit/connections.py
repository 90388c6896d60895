"""Relay connections for every subgraph: one `PageInfo` (@shareable, so each subgraph may
serve it) and a generic edge and connection that turn a repository's `kit.pages.Page` into
what clients read.

    @strawberry.type(description="A page of organisations, ordered by code")
    class OrganisationConnection(Connection[Organisation]):
        pass

    OrganisationConnection.of(page, Organisation.of)

`Edge[Organisation]` is named `OrganisationEdge` in the schema. A subgraph whose page
information had another public name before keeps it with a subclass of `PageInfo` named so,
declared as its connection's `page_info` and `page_info_type`.
"""

from collections.abc import Callable
from typing import Any, ClassVar, Generic, Self, TypeVar

import strawberry

from kit.pages import Page

Node = TypeVar("Node")
Item = TypeVar("Item")


@strawberry.federation.type(shareable=True, description="Relay page information")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None

    @classmethod
    def of(cls, page: Page[Any]) -> Self:
        return cls(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=page.start_cursor,
            end_cursor=page.end_cursor,
        )


@strawberry.type
class Edge(Generic[Node]):
    cursor: str
    node: Node


@strawberry.type
class Connection(Generic[Node]):
    edges: list[Edge[Node]]
    page_info: PageInfo
    total_count: int

    page_info_type: ClassVar[type[PageInfo]] = PageInfo

    @classmethod
    def of(cls, page: Page[Item], node: Callable[[Item], Node]) -> Self:
        """The connection of a page, each item shown as `node` makes it."""
        return cls(
            edges=[
                Edge(cursor=cursor, node=node(item))
                for cursor, item in zip(page.cursors, page.items, strict=True)
            ],
            page_info=cls.page_info_type.of(page),
            total_count=page.total,
        )
