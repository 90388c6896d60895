"""Relay's Node across subgraphs: `node(id:)` in one subgraph decodes ids whose objects other
subgraphs fill in; some ids are not what it expects, some name objects that do not exist."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from gateway_testkit.federated import Subgraph
from gateway_testkit.patterns.sdl import federation

PEOPLE = {"1": {"name": "Lan"}, "2": {"name": "Minh"}}
TEAMS = {"7": {"title": "Audit", "members": ["1", "2", "3"]}}
KNOWN_HERE = ("Person", "Team")


def _decode(node_id: str) -> dict[str, Any] | None:
    typename, _, raw = node_id.partition(":")
    if typename not in KNOWN_HERE or not raw:
        raise GraphQLError(f"not a node id: {node_id!r}", extensions={"code": "BAD_USER_INPUT"})
    if typename == "Person" and raw not in PEOPLE:
        return None
    return {"__typename": typename, "id": node_id, **PEOPLE.get(raw, {})}


def _team(rep: dict[str, Any]) -> dict[str, Any] | None:
    found = TEAMS.get(rep["id"].partition(":")[2])
    if found is None:
        return None
    members = [{"__typename": "Person", "id": f"Person:{m}"} for m in found["members"]]
    return {"__typename": "Team", "id": rep["id"], "title": found["title"], "members": members}


def _person(rep: dict[str, Any]) -> dict[str, Any] | None:
    found = PEOPLE.get(rep["id"].partition(":")[2])
    if found is None:
        raise GraphQLError(f"no person {rep['id']}", extensions={"code": "NOT_FOUND"})
    return {"__typename": "Person", "id": rep["id"], **found}


def relay_nodes() -> list[Subgraph]:
    directory = Subgraph(
        "directory",
        federation("key")
        + """
type Query { node(id: ID!): Node nodes(ids: [ID!]!): [Node]! }
interface Node { id: ID! }
type Person implements Node @key(fields: "id") { id: ID! name: String! }
type Team implements Node @key(fields: "id") { id: ID! }
""",
        resolvers={
            "Query.node": lambda _, __, id: _decode(id),
            "Query.nodes": lambda _, __, ids: [_safe_decode(i) for i in ids],
        },
        entities={"Person": _person, "Team": lambda rep: {"__typename": "Team", "id": rep["id"]}},
    )
    teams = Subgraph(
        "teams",
        federation("key")
        + """
type Query { teams: [Team!]! }
interface Node { id: ID! }
type Team implements Node @key(fields: "id") { id: ID! title: String! members: [Person!]! }
type Person implements Node @key(fields: "id") { id: ID! }
type Project implements Node @key(fields: "id") { id: ID! code: String! }
""",
        resolvers={"Query.teams": lambda *_: [_team({"id": f"Team:{t}"}) for t in TEAMS]},
        entities={"Team": _team, "Project": lambda rep: None},
    )
    return [directory, teams]


def _safe_decode(node_id: str) -> dict[str, Any] | None:
    try:
        return _decode(node_id)
    except GraphQLError:
        return None
