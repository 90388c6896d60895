"""Calling the suite's gateway as somebody: a user token per principal (signed with the suite's
local key, as the identity provider would), an x-request-id per request, and what the security
tests keep for the end of the run — the personal-data reads that must have left an access-log
entry, and every card number and birth date the run wrote."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import httpx
from kit.identity import Grant, Principal, Role
from kit.testing import STAFF

from infra.local.suite import Suite

AUDITOR = Principal("security-auditor", "Kiểm toán viên (kiểm thử)", (Grant(Role.AUDITOR),))


class Refused(AssertionError):
    pass


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]
    request_id: str

    @property
    def data(self) -> dict[str, Any] | None:
        data: dict[str, Any] | None = self.body.get("data")
        return data

    @property
    def errors(self) -> list[dict[str, Any]]:
        errors: list[dict[str, Any]] = self.body.get("errors") or []
        return errors

    @property
    def codes(self) -> set[str]:
        return {str((e.get("extensions") or {}).get("code")) for e in self.errors}


@dataclass(frozen=True)
class PersonalRead:
    """A read that was answered and must have left an entry in `service`'s access log."""

    request_id: str
    principal: Principal
    service: str
    person_type: str
    person_id: str
    fields: frozenset[str]


@dataclass(frozen=True)
class Answered:
    """A request the gateway answered with data: what it showed, to whom."""

    request_id: str
    principal: Principal
    data: dict[str, Any]


@dataclass
class RunRecord:
    """What the security tests of this run keep for its end (the tests in
    test_security_zz_run_end.py)."""

    reads: list[PersonalRead] = field(default_factory=list)
    answered: list[Answered] = field(default_factory=list)  # every answer with data
    refused: list[PersonalRead] = field(default_factory=list)  # must have left no entry
    cards: set[str] = field(default_factory=set)  # every card number sent, stored or refused
    registered: set[str] = field(default_factory=set)  # those of the members the world made
    births: set[date] = field(default_factory=set)

    def personal_values(self, cards: Iterable[str], births: Iterable[date]) -> None:
        self.cards.update(cards)
        self.births.update(births)


RUN = RunRecord()


def user_token(
    suite: Suite,
    principal: Principal,
    *,
    secret: str | None = None,
    ttl_seconds: int = 3600,
    issuer: str | None = None,
    audience: str | None = None,
) -> str:
    """A caller's JWT as the local identity provider signs it (`LocalSecrets.token_for`, HS256
    with the suite's key), or a forgery of one when another key, issuer or audience is given."""
    keys = suite.keys
    signer = replace(
        keys,
        auth_secret=secret or keys.auth_secret,
        issuer=issuer or keys.issuer,
        audience=audience or keys.audience,
    )
    return signer.token_for(principal, ttl_seconds)


class SecureGateway:
    """The suite's gateway, called with a bearer token for a principal."""

    def __init__(self, suite: Suite) -> None:
        self.suite = suite
        self.client = httpx.AsyncClient(timeout=60)
        self._tokens: dict[Principal, str] = {}

    def token(self, principal: Principal) -> str:
        if principal not in self._tokens:
            self._tokens[principal] = user_token(self.suite, principal)
        return self._tokens[principal]

    async def call(
        self,
        principal: Principal | None,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        authorization: str | None = None,
    ) -> Reply:
        request_id = f"sec-{uuid.uuid4().hex}"
        headers = {"x-request-id": request_id}
        if principal is not None:
            headers["authorization"] = f"Bearer {self.token(principal)}"
        if authorization is not None:
            headers["authorization"] = authorization
        response = await self.client.post(
            self.suite.gateway_url,
            json={"query": query, "variables": variables or {}},
            headers=headers,
        )
        reply = Reply(response.status_code, response.json(), request_id)
        if principal is not None and reply.data is not None:
            RUN.answered.append(Answered(request_id, principal, reply.data))
        return reply

    async def ok(
        self, principal: Principal, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        reply = await self.call(principal, query, variables)
        if reply.errors or reply.data is None:
            raise Refused(f"{principal.subject}: {reply.status} {reply.errors}")
        return reply.data

    async def staff(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.ok(STAFF, query, variables)

    async def close(self) -> None:
        await self.client.aclose()
