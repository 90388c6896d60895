"""The soak's users (bench/soak/run.py starts locust with this file): each reads the ward's
screens and writes — a member's name corrected, a member registered — at a steady rate, as a
ward committee would. Any GraphQL error is a failure. SOAK_WORLD (JSON) says who they are and
what they work on; SOAK_RATE is each user's requests per second."""

import itertools
import json
import os
import uuid
from typing import Any

from locust import FastHttpUser, constant_throughput, task

WORLD: dict[str, Any] = json.loads(os.environ.get("SOAK_WORLD", "{}"))
USERS = itertools.count()

WARD = """
query ($code: String!) {
  organisationByCode(code: $code) {
    id name children { edges { node { code name status memberCount } } }
  }
}
"""
CELL = """
query ($id: ID!) {
  members(organisationId: $id, first: 20) { totalCount nodes { id fullName standing } }
}
"""
MEMBER = "query ($id: ID!) { member(id: $id) { id fullName standing organisation { code } } }"
RENAME = """
mutation ($id: ID!, $input: UpdateMemberInput!) { updateMember(id: $id, input: $input) { id } }
"""
REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"


class WardCommittee(FastHttpUser):
    wait_time = constant_throughput(float(os.environ.get("SOAK_RATE", "1")))

    def on_start(self) -> None:
        self.number = next(USERS)
        self.member_id = WORLD["members"][self.number % len(WORLD["members"])]
        self.renames = 0
        self.headers = {"authorization": f"Bearer {WORLD['token']}"}

    def graphql(self, name: str, query: str, variables: dict[str, Any]) -> None:
        with self.client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers=self.headers,
            name=name,
            catch_response=True,
        ) as response:
            body = response.json() if response.status_code == 200 else {}
            if response.status_code != 200 or body.get("errors") or not body.get("data"):
                response.failure(f"{response.status_code} {str(body.get('errors'))[:300]}")

    @task(3)
    def ward_screen(self) -> None:
        self.graphql("ward", WARD, {"code": WORLD["ward_code"]})

    @task(3)
    def cell_roster(self) -> None:
        self.graphql("cell roster", CELL, {"id": WORLD["cell_id"]})

    @task(2)
    def member_card(self) -> None:
        self.graphql("member", MEMBER, {"id": self.member_id})

    @task(1)
    def rename_member(self) -> None:
        self.renames += 1
        name = f"Nguyễn Văn Soak {self.number}-{self.renames}"
        self.graphql("updateMember", RENAME, {"id": self.member_id, "input": {"fullName": name}})

    @task(1)
    def register_member(self) -> None:
        card = f"99.{uuid.uuid4().hex[:10].upper()}"
        fields = {**WORLD["new_member"], "cardNumber": card, "organisationId": WORLD["cell_id"]}
        self.graphql("registerMember", REGISTER, {"input": fields})
