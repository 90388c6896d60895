"""Where @apollo/gateway answers against the Federation spec (or not at all), the answer the
spec asks for, computed from the pattern's data. Each entry says what Apollo does instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gateway_testkit.patterns.interface_objects import CONTENTS, VIEWS
from gateway_testkit.patterns.requirements import ITEMS

JSON = dict[str, Any]


def _pounds(item_id: str) -> float:
    return round(ITEMS[item_id]["kg"] * 2.2, 2)


def _item(item_id: str, *fields: str) -> JSON:
    record = ITEMS[item_id]
    media = record["media"]
    values: JSON = {
        "id": item_id,
        "name": record["name"],
        "weight": record["kg"],
        "ratings": [{"stars": s} for s in record["ratings"]],
        "ratings-1": [{"stars": s} for s in record["ratings"][:1]],
        "media": None
        if media is None
        else {
            "__typename": media[0],
            "id": f"m-{item_id}",
            "pixels" if media[0] == "Photo" else "seconds": media[1],
        },
        "shippingCost": round(_pounds(item_id) * 3, 2),
        "topStars": max(record["ratings"][:2], default=None),
        "ratingCount": len(record["ratings"]),
        "mediaSize": None if media is None else media[1],
    }
    return {f.partition("-")[0]: values[f] for f in fields}


def _items(*fields: str) -> Callable[[], JSON]:
    return lambda: {"items": [_item(i, *fields) for i in ITEMS]}


def _content(content_id: str) -> JSON:
    record = CONTENTS[content_id]
    kind = record["__typename"]
    return {
        "__typename": kind,
        "id": content_id,
        "title": record["title"],
        **({"words": record["words"]} if kind == "Article" else {"minutes": record["minutes"]}),
        "titleLength": len(record["title"]),
        "views": VIEWS[content_id],
    }


_REQUIREMENT_FROM_CLIENT = (
    "@apollo/gateway sends the subgraph the client's value of a field the requirement "
    "selects with other arguments; the spec asks for the requirement's own arguments"
)

SPEC_ANSWERS: dict[tuple[str, str], tuple[str, Callable[[], JSON | None]]] = {
    ("requires-with-arguments", "requires-argument-differs-from-clients"): (
        _REQUIREMENT_FROM_CLIENT,
        _items("weight", "shippingCost"),
    ),
    ("requires-with-arguments", "client-limited-requirement-unlimited"): (
        _REQUIREMENT_FROM_CLIENT,
        _items("ratings-1", "ratingCount"),
    ),
    ("requires-with-arguments", "requires-and-client-differ"): (
        _REQUIREMENT_FROM_CLIENT,
        _items("weight", "shippingCost"),
    ),
    ("requires-with-arguments", "client-limit-with-requires"): (
        _REQUIREMENT_FROM_CLIENT,
        _items("ratings-1", "topStars"),
    ),
    ("requires-with-arguments", "limit-variable-with-requires"): (
        _REQUIREMENT_FROM_CLIENT,
        _items("ratings-1", "topStars"),
    ),
    ("requires-with-arguments", "client-unlimited-with-limited-requires"): (
        _REQUIREMENT_FROM_CLIENT,
        _items("ratings", "topStars"),
    ),
    ("requires-with-arguments", "requirement-first-client-unlimited"): (
        "@apollo/gateway answers the client's ratings with the requirement's ratings(limit: 2)",
        _items("topStars", "ratings"),
    ),
    ("requires-with-arguments", "two-requirements-of-one-field"): (
        "@apollo/gateway sends both requirements one ratings value, the unlimited list",
        _items("topStars", "ratingCount"),
    ),
    ("requires-with-arguments", "generated-query-items"): (
        _REQUIREMENT_FROM_CLIENT,
        _items(
            "id",
            "name",
            "weight",
            "ratings",
            "media",
            "shippingCost",
            "topStars",
            "ratingCount",
            "mediaSize",
        ),
    ),
    ("interface-object", "generated-query-popular"): (
        "@apollo/gateway does not answer (its planner does not return)",
        lambda: {"popular": [_content(c) for c in sorted(VIEWS, key=lambda c: -VIEWS[c])]},
    ),
    ("interface-object", "generated-query-pickOfTheDay"): (
        "@apollo/gateway does not answer (its planner does not return)",
        lambda: {"pickOfTheDay": _content("c3")},
    ),
    ("interface-object", "generated-query-editorsPicks"): (
        "@apollo/gateway fails with 'Invalid array length' (INTERNAL_SERVER_ERROR); an "
        "@interfaceObject's entity no subgraph resolves has no type for its __typename, "
        "so null propagates to the non-null list (as @apollo/gateway does elsewhere)",
        lambda: None,
    ),
}
