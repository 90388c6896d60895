"""Unions and interfaces whose members differ between subgraphs, fields whose type differs
between sibling types of one subgraph, and @override of an implementer's field."""

from __future__ import annotations

from typing import Any

from gateway_testkit.federated import Subgraph
from gateway_testkit.patterns.sdl import by_id, federation

SONGS = {"s1": {"title": "Blue", "duration": 210}, "s2": {"title": "Red", "duration": None}}
ALBUMS = {"a1": {"name": "Colours", "tracks": 2, "year": 1999}}
ALBUM_IN_VIDEO = {"__typename": "Album", "year": 1999, "duration": 3000}
CLIPS = {"k1": {"caption": "Live", "duration": 95}, "k2": {"caption": "Teaser", "duration": 15}}


def _typed(typename: str, records: dict[str, dict[str, Any]], *ids: str) -> list[dict[str, Any]]:
    return [{"__typename": typename, "id": i, **records[i]} for i in ids]


def spread_unions() -> list[Subgraph]:
    music = Subgraph(
        "music",
        federation("key", "shareable")
        + """
type Query { hits: [Hit!]! playables: [Playable!]! }
union Hit = Song | Album
interface Playable { id: ID! duration: Int }
type Song implements Playable @key(fields: "id") { id: ID! title: String! duration: Int }
type Album @key(fields: "id") { id: ID! name: String! tracks: Int! }
""",
        resolvers={
            "Query.hits": lambda *_: [
                *_typed("Song", SONGS, "s1"),
                *_typed("Album", ALBUMS, "a1"),
                *_typed("Song", SONGS, "s2"),
            ],
            "Query.playables": lambda *_: _typed("Song", SONGS, "s2", "s1"),
        },
        entities={"Song": by_id(SONGS), "Album": by_id(ALBUMS)},
    )
    video = Subgraph(
        "video",
        federation("key", "shareable")
        + """
type Query { clips: [Hit!]! shows: [Playable!]! }
union Hit = Album | Clip
interface Playable { id: ID! duration: Int }
type Clip implements Playable @key(fields: "id") { id: ID! caption: String! duration: Int }
type Album implements Playable @key(fields: "id") { id: ID! year: Int duration: Int }
""",
        resolvers={
            "Query.clips": lambda *_: [
                *_typed("Clip", CLIPS, "k1"),
                {**_typed("Album", ALBUMS, "a1")[0], "duration": 3000},
                *_typed("Clip", CLIPS, "k2"),
            ],
            "Query.shows": lambda *_: [
                *_typed("Clip", CLIPS, "k2"),
                {**_typed("Album", ALBUMS, "a1")[0], "duration": 3000},
            ],
        },
        entities={
            "Clip": by_id(CLIPS),
            "Album": lambda rep: (
                {"__typename": "Album", "id": rep["id"], "year": 1999, "duration": 3000}
                if rep["id"] in ALBUMS
                else None
            ),
        },
    )
    return [music, video]


ANIMALS = {
    "d1": {"__typename": "Dog", "name": "Rex", "size": "large", "owner": {"name": "Kim"}},
    "c1": {
        "__typename": "Cat",
        "name": "Tom",
        "size": None,
        "owner": {"name": "Shelter 9", "city": "Hue"},
    },
    "d2": {"__typename": "Dog", "name": "Fido", "size": "small", "owner": None},
}


def _animal(animal_id: str, *fields: str) -> dict[str, Any] | None:
    found = ANIMALS.get(animal_id)
    if found is None:
        return None
    return {"__typename": found["__typename"], "id": animal_id, **{f: found[f] for f in fields}}


def child_type_mismatch() -> list[Subgraph]:
    zoo = Subgraph(
        "zoo",
        federation("key", "shareable")
        + """
type Query { animals: [Animal!]! }
interface Animal { id: ID! name: String! }
type Dog implements Animal @key(fields: "id") { id: ID! name: String! size: String! @shareable }
type Cat implements Animal @key(fields: "id") { id: ID! name: String! size: String @shareable }
""",
        resolvers={
            "Query.animals": lambda *_: [
                {**found, "size": found["size"] or "unknown"}
                if found["__typename"] == "Dog"
                else found
                for a in ANIMALS
                if (found := _animal(a, "name", "size")) is not None
            ]
        },
        entities={
            "Dog": lambda rep: _animal(rep["id"], "name", "size"),
            "Cat": lambda rep: _animal(rep["id"], "name", "size"),
        },
    )
    care = Subgraph(
        "care",
        federation("key", "shareable")
        + """
type Dog @key(fields: "id") { id: ID! size: String @shareable owner: Person }
type Cat @key(fields: "id") { id: ID! size: String @shareable owner: Shelter }
type Person { name: String! }
type Shelter { name: String! city: String! }
""",
        entities={
            "Dog": lambda rep: _animal(rep["id"], "size", "owner"),
            "Cat": lambda rep: _animal(rep["id"], "size", "owner"),
        },
    )
    return [zoo, care]


SHOE_IN_PRICING = {"__typename": "Shoe", "price": 45, "discounted": True}
GOODS = {
    "shoe": {"__typename": "Shoe", "price": 50, "size": 42},
    "hat": {"__typename": "Hat", "price": 15, "size": None},
}


def override_on_implementers() -> list[Subgraph]:
    shop = Subgraph(
        "legacyshop",
        federation("key")
        + """
type Query { goods: [Good!]! good(id: ID!): Good }
interface Good { id: ID! price: Int! }
type Shoe implements Good @key(fields: "id") { id: ID! price: Int! size: Int! }
type Hat implements Good @key(fields: "id") { id: ID! price: Int! }
""",
        resolvers={
            "Query.goods": lambda *_: [{"id": g, **r} for g, r in GOODS.items()],
            "Query.good": lambda _, __, id: {"id": id, **GOODS[id]} if id in GOODS else None,
        },
        entities={"Shoe": by_id(GOODS), "Hat": by_id(GOODS)},
    )
    pricing = Subgraph(
        "pricing",
        federation("key", "override")
        + """
type Shoe @key(fields: "id") {
  id: ID!
  price: Int! @override(from: "legacyshop")
  discounted: Boolean!
}
""",
        entities={
            "Shoe": lambda rep: {
                "__typename": "Shoe",
                "id": rep["id"],
                "price": 45,
                "discounted": True,
            }
        },
    )
    return [shop, pricing]
