"""Tokens for trying the demo, signed with the local key `make up` made
(infra/local/run/secrets.json); the ids they are scoped to are looked up through the gateway.

    uv run python -m infra.demo.tokens                     one per role, over Ba Đình's tree
    uv run python -m infra.demo.tokens --role WARD_COMMITTEE --org HN-BD-KM
    uv run python -m infra.demo.tokens --role MEMBER --member MEMBER_ID
    (make tokens / make token ROLE=… ORG=… MEMBER=…)
"""

import argparse
import asyncio
import sys
from dataclasses import dataclass
from typing import Any

from gateway.tokens import parse_duration
from kit.identity import Grant, Principal, Role

from infra.demo.client import DEMO_LOADER, DemoFailed, DemoGateway, bearer
from infra.local.suite import RUN, LocalSecrets

DISTRICT, WARD, AGENCY_CELL = "HN-BD", "HN-BD-GV", "HN-BD-GV-CQ"
SCOPES = """
query {
  city: organisationByCode(code: "HN") { id code name }
  district: organisationByCode(code: "HN-BD") { id code name }
  ward: organisationByCode(code: "HN-BD-GV") { id code name }
  dissolutionCases(stage: CLOSED) {
    cell { code }
    transfers { personKind state personName member { id } to { id code name } }
  }
}
"""
BY_CODE = "query ($code: String!) { organisationByCode(code: $code) { id code name } }"


@dataclass(frozen=True)
class Scope:
    id: str
    code: str
    name: str

    @classmethod
    def of(cls, found: dict[str, Any]) -> "Scope":
        return cls(found["id"], found["code"], found["name"])

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class DemoToken:
    role: Role
    scope: str
    principal: Principal


async def demo_principals(gateway: DemoGateway) -> list[DemoToken]:
    """One principal per role, scoped as the README's Security section describes."""
    data = await gateway.execute(SCOPES)
    if not data["district"] or not data["ward"]:
        raise DemoFailed("the demo is not loaded: make demo")
    district, ward = Scope.of(data["district"]), Scope.of(data["ward"])
    moved = next(
        (
            t
            for case in data["dissolutionCases"]
            if case["cell"]["code"] == AGENCY_CELL
            for t in case["transfers"]
            if t["personKind"] == "MEMBER" and t["state"] == "RECEIVED" and t["member"]
        ),
        None,
    )

    def scoped(role: Role, scope: Scope, subject: str, name: str) -> DemoToken:
        principal = Principal(f"demo-{subject}", name, (Grant(role, scope.id),))
        return DemoToken(role, f"over {scope}", principal)

    tokens = [
        scoped(Role.DISTRICT_STANDING, district, "district", "Ban Thường vụ Quận ủy Ba Đình"),
    ]
    if data["city"]:  # since 2025 the city's standing committee does what the district did
        city = Scope.of(data["city"])
        tokens.append(scoped(Role.CITY_COMMITTEE, city, "city", "Ban Thường vụ Thành ủy Hà Nội"))
    tokens += [
        scoped(Role.WARD_COMMITTEE, ward, "ward", "Ban Thường vụ Đảng ủy phường Giảng Võ"),
    ]
    if moved is not None:
        cell = Scope.of(moved["to"])
        tokens.append(
            scoped(Role.CELL_SECRETARY, cell, "cell", f"Bí thư {cell.name} phường Giảng Võ")
        )
    tokens += [
        scoped(Role.WORKPLACE_ASSESSOR, district, "assessor", "Phòng Nội vụ quận Ba Đình"),
        scoped(Role.INTEGRATION, district, "city-system", "Hệ thống của Thành ủy Hà Nội"),
    ]
    if moved is not None:
        member_id, name = moved["member"]["id"], moved["personName"]
        member = Principal(f"demo-member-{member_id}", name, (Grant(Role.MEMBER),), member_id)
        where = f"{name}, member {member_id}, moved from {AGENCY_CELL} to {moved['to']['code']}"
        tokens.append(DemoToken(Role.MEMBER, where, member))
    tokens.append(
        scoped(Role.AUDITOR, district, "auditor", "Ủy ban Kiểm tra Quận ủy Ba Đình"),
    )
    return tokens


def usage(url: str, token: str) -> str:
    return "\n".join(
        [
            "Use a token as a bearer token, e.g.:",
            f"  curl -s {url} -H 'content-type: application/json' \\",
            f"    -H 'authorization: Bearer {token}' \\",
            """    -d '{"query": "{ campaigns { progress { totalCases overdueCases } } }"}'""",
            f"GraphiQL ({url}), Headers tab:",
            f'  {{"Authorization": "Bearer {token}"}}',
        ]
    )


async def one_per_role(url: str, keys: LocalSecrets, ttl: int) -> None:
    gateway = DemoGateway(url, headers=bearer(keys.token_for(DEMO_LOADER)))
    try:
        tokens = await demo_principals(gateway)
    finally:
        await gateway.close()
    hours = ttl / 3600
    print(f"Tokens for the demo, one per role (valid {hours:g} h; make tokens prints new ones):")
    for demo in tokens:
        print(f"\n{demo.role.value}  {demo.scope}\n  {keys.token_for(demo.principal, ttl)}")
    print()
    print(usage(url, keys.token_for(tokens[0].principal, ttl)))


async def one(url: str, keys: LocalSecrets, ttl: int, args: argparse.Namespace) -> None:
    role = Role(args.role)
    organisation = None
    if args.org:
        gateway = DemoGateway(url, headers=bearer(keys.token_for(DEMO_LOADER)))
        try:
            found = (await gateway.execute(BY_CODE, {"code": args.org}))["organisationByCode"]
        finally:
            await gateway.close()
        if not found:
            raise DemoFailed(f"no organisation with code {args.org}")
        organisation = found["id"]
    subject = f"local-{role.value.lower()}-{args.org or 'all'}"
    principal = Principal(subject, args.name or subject, (Grant(role, organisation),), args.member)
    print(keys.token_for(principal, ttl))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway", default="http://127.0.0.1:4000/graphql")
    parser.add_argument("--ttl", type=parse_duration, default="8h", help="lifetime (8h)")
    parser.add_argument("--role", choices=[role.value for role in Role], help="one token only")
    parser.add_argument("--org", help="its scope, by organisation code (none: the whole tree)")
    parser.add_argument("--member", help="the member id a MEMBER token is for")
    parser.add_argument("--name", help="the display name audit trails show")
    args = parser.parse_args()
    if args.role == Role.MEMBER.value and not args.member:
        parser.error("a MEMBER token needs --member MEMBER_ID")
    keys = LocalSecrets.load(RUN)
    try:
        if args.role:
            asyncio.run(one(args.gateway, keys, args.ttl, args))
        else:
            asyncio.run(one_per_role(args.gateway, keys, args.ttl))
    except DemoFailed as error:
        print(f"tokens: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
