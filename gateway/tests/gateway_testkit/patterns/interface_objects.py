"""@interfaceObject: a subgraph that knows an interface only as an object type adds a field
that @requires one of the interface's fields, and another knows it by a key it cannot
resolve."""

from __future__ import annotations

from typing import Any

from gateway_testkit.federated import Subgraph
from gateway_testkit.patterns.sdl import federation

CONTENTS: dict[str, dict[str, Any]] = {
    "c1": {"__typename": "Article", "title": "Rates rise", "words": 800},
    "c2": {"__typename": "Video", "title": "Harbour tour", "minutes": 12},
    "c3": {"__typename": "Article", "title": "", "words": 0},
}
VIEWS = {"c1": 150, "c2": 9, "c3": 0}


def _content(content_id: str) -> dict[str, Any] | None:
    found = CONTENTS.get(content_id)
    return {"id": content_id, **found} if found else None


def _stats(rep: dict[str, Any]) -> dict[str, Any] | None:
    if rep["id"] not in VIEWS:
        return None
    found: dict[str, Any] = {"__typename": "Content", "id": rep["id"], "views": VIEWS[rep["id"]]}
    if "title" in rep:
        found["titleLength"] = len(rep["title"])
    return found


def interface_object() -> list[Subgraph]:
    content = Subgraph(
        "content",
        federation("key")
        + """
type Query { contents: [Content!]! content(id: ID!): Content }
interface Content @key(fields: "id") { id: ID! title: String! }
type Article implements Content @key(fields: "id") { id: ID! title: String! words: Int! }
type Video implements Content @key(fields: "id") { id: ID! title: String! minutes: Int! }
""",
        resolvers={
            "Query.contents": lambda *_: [_content(c) for c in CONTENTS],
            "Query.content": lambda _, __, id: _content(id),
        },
        entities={
            "Content": lambda rep: _content(rep["id"]),
            "Article": lambda rep: _content(rep["id"]),
            "Video": lambda rep: _content(rep["id"]),
        },
    )
    stats = Subgraph(
        "stats",
        federation("key", "interfaceObject", "external", "requires")
        + """
type Query { popular: [Content!]! }
type Content @key(fields: "id") @interfaceObject {
  id: ID!
  title: String! @external
  titleLength: Int! @requires(fields: "title")
  views: Int!
}
""",
        resolvers={
            "Query.popular": lambda *_: [
                {"__typename": "Content", "id": c, "views": VIEWS[c]}
                for c in sorted(VIEWS, key=lambda c: -VIEWS[c])
            ]
        },
        entities={"Content": _stats},
    )
    picks = Subgraph(
        "picks",
        federation("key", "interfaceObject")
        + """
type Query { editorsPicks: [Content!]! pickOfTheDay: Content }
type Content @key(fields: "id", resolvable: false) @interfaceObject { id: ID! }
""",
        resolvers={
            "Query.editorsPicks": lambda *_: [
                {"__typename": "Content", "id": c} for c in ("c2", "missing", "c1")
            ],
            "Query.pickOfTheDay": lambda *_: {"__typename": "Content", "id": "c3"},
        },
    )
    return [content, stats, picks]
