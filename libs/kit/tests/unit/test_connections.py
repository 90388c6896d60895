import strawberry
from kit.connections import Connection, PageInfo
from kit.pages import Page, cursor


@strawberry.federation.type(keys=["id"])
class Cell:
    id: strawberry.ID


@strawberry.type
class CellConnection(Connection[Cell]):
    pass


@strawberry.type(name="CellPageInfo")
class CellPageInfo(PageInfo):
    pass


@strawberry.type
class NamedCellConnection(Connection[Cell]):
    page_info: CellPageInfo
    page_info_type = CellPageInfo


PAGE = Page(["c1", "c2"], [cursor("c1", "c1"), cursor("c2", "c2")], True, 7, cursor("c0", "c0"))


@strawberry.type
class Query:
    @strawberry.field
    def cells(self) -> CellConnection:
        return CellConnection.of(PAGE, lambda i: Cell(id=strawberry.ID(i)))

    @strawberry.field
    def named(self) -> NamedCellConnection:
        return NamedCellConnection.of(PAGE, lambda i: Cell(id=strawberry.ID(i)))


schema = strawberry.federation.Schema(query=Query)
FIELDS = "{ totalCount edges { cursor node { id } } pageInfo { __typename hasNextPage "
FIELDS += "hasPreviousPage startCursor endCursor } }"


def test_a_repository_page_becomes_a_relay_connection() -> None:
    result = schema.execute_sync("{ cells " + FIELDS + " }")
    assert result.errors is None and result.data is not None
    assert result.data["cells"] == {
        "totalCount": 7,
        "edges": [
            {"cursor": c, "node": {"id": i}} for c, i in zip(PAGE.cursors, PAGE.items, strict=True)
        ],
        "pageInfo": {
            "__typename": "PageInfo",
            "hasNextPage": True,
            "hasPreviousPage": True,
            "startCursor": PAGE.cursors[0],
            "endCursor": PAGE.cursors[1],
        },
    }


def test_page_info_is_shareable_and_a_subgraph_may_keep_its_own_name_for_it() -> None:
    sdl = schema.as_str()
    assert "type PageInfo @shareable {" in sdl
    assert "type CellEdge {" in sdl
    assert "type CellPageInfo {" in sdl
    named = schema.execute_sync("{ named { pageInfo { __typename endCursor } } }")
    assert named.data == {
        "named": {"pageInfo": {"__typename": "CellPageInfo", "endCursor": PAGE.cursors[1]}}
    }
