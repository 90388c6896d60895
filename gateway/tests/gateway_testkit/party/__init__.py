"""Test subgraphs shaped like partyorg's: organisations, members, evaluations."""

from __future__ import annotations

from typing import Any

from gateway_testkit.federated import Subgraph

ORGANISATIONS_SDL = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

type Organisation @key(fields: "id") {
  id: ID!
  name: String!
  kind: OrganisationKind!
  parent: Organisation
}

enum OrganisationKind { DISTRICT WARD CELL }

type Query {
  organisation(id: ID!): Organisation
  organisations: [Organisation!]!
}

type Mutation {
  createOrganisation(name: String!, kind: OrganisationKind!): Organisation!
}
"""

MEMBERS_SDL = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

type Organisation @key(fields: "id") {
  id: ID!
  members: [PartyMember!]!
  memberCount: Int!
}

type PartyMember @key(fields: "id") {
  id: ID!
  fullName: String!
  organisation: Organisation!
}

type Query {
  member(id: ID!): PartyMember
}

type Mutation {
  registerMember(fullName: String!, organisationId: ID!): PartyMember!
}
"""

EVALUATIONS_SDL = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

type PartyMember @key(fields: "id") {
  id: ID!
  evaluations(period: String): [Evaluation!]!
}

type Evaluation @key(fields: "id") {
  id: ID!
  period: String!
  rating: Rating!
}

enum Rating { EXCELLENT GOOD COMPLETED NOT_COMPLETED }

type Query {
  evaluation(id: ID!): Evaluation
}
"""


class PartyData:
    """In-memory state shared by the three test subgraphs."""

    def __init__(self, members_per_organisation: int = 3) -> None:
        self.organisations: dict[str, dict[str, Any]] = {}
        self.members: dict[str, dict[str, Any]] = {}
        kinds = ["DISTRICT", "WARD", "CELL"]
        for number in range(1, 4):
            org_id = f"org-{number}"
            self.organisations[org_id] = {
                "id": org_id,
                "name": f"Organisation {number}",
                "kind": kinds[number - 1],
                "parent_id": f"org-{number - 1}" if number > 1 else None,
            }
            for index in range(1, members_per_organisation + 1):
                member_id = f"m-{number}-{index}"
                self.members[member_id] = {
                    "id": member_id,
                    "fullName": f"Member {number}.{index}",
                    "organisation_id": org_id,
                }

    def members_of(self, org_id: str) -> list[dict[str, Any]]:
        return [m for m in self.members.values() if m["organisation_id"] == org_id]


def _organisation(data: PartyData, org_id: str | None) -> dict[str, Any] | None:
    found = data.organisations.get(org_id or "")
    if found is None:
        return None
    return {**found, "parent": _organisation(data, found["parent_id"])}


def party_subgraphs(data: PartyData) -> list[Subgraph]:
    def create_organisation(_: Any, __: Any, name: str, kind: str) -> dict[str, Any]:
        org_id = f"org-{len(data.organisations) + 1}"
        data.organisations[org_id] = {"id": org_id, "name": name, "kind": kind, "parent_id": None}
        return _organisation(data, org_id) or {}

    def register_member(_: Any, __: Any, fullName: str, organisationId: str) -> dict[str, Any]:
        member_id = f"m-new-{len(data.members) + 1}"
        data.members[member_id] = {
            "id": member_id,
            "fullName": fullName,
            "organisation_id": organisationId,
        }
        return _member(member_id)

    def _member(member_id: str) -> dict[str, Any]:
        member = data.members[member_id]
        return {**member, "organisation": {"id": member["organisation_id"]}}

    def member_entity(rep: dict[str, Any]) -> dict[str, Any] | None:
        return _member(rep["id"]) if rep["id"] in data.members else None

    def organisation_in_members(rep: dict[str, Any]) -> dict[str, Any]:
        members = [_member(m["id"]) for m in data.members_of(rep["id"])]
        return {"id": rep["id"], "members": members, "memberCount": len(members)}

    def evaluations_of(source: Any, _: Any, period: str | None = None) -> list[dict[str, Any]]:
        periods = [period] if period else ["2019-10", "2019-11"]
        return [{"id": f"ev-{source['id']}-{p}", "period": p, "rating": "GOOD"} for p in periods]

    return [
        Subgraph(
            "organisations",
            ORGANISATIONS_SDL,
            resolvers={
                "Query.organisation": lambda _, __, id: _organisation(data, id),
                "Query.organisations": lambda *_: [
                    _organisation(data, o) for o in sorted(data.organisations)
                ],
                "Mutation.createOrganisation": create_organisation,
            },
            entities={"Organisation": lambda rep: _organisation(data, rep["id"])},
        ),
        Subgraph(
            "members",
            MEMBERS_SDL,
            resolvers={
                "Query.member": lambda _, __, id: member_entity({"id": id}),
                "Mutation.registerMember": register_member,
            },
            entities={"PartyMember": member_entity, "Organisation": organisation_in_members},
        ),
        Subgraph(
            "evaluations",
            EVALUATIONS_SDL,
            resolvers={"PartyMember.evaluations": evaluations_of},
            entities={
                "PartyMember": lambda rep: {"id": rep["id"]},
                "Evaluation": lambda rep: {
                    "id": rep["id"],
                    "period": rep["id"].rsplit("-", 2)[-2] + "-" + rep["id"].rsplit("-", 1)[-1],
                    "rating": "GOOD",
                },
            },
        ),
    ]
