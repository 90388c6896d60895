# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""The lookup for city systems that keep partyorg's ids: a card number or citizen ID → the
member's id and cell, each key answered on its own, every match logged as a personal read."""

import strawberry
from kit.errors import Forbidden
from kit.pseudonyms import KeyKind

from members.authorisation import Operation
from members.domain import NotFound
from members.schema.context import Context
from members.schema.entities import Organisation, organisation
from members.service.members import MAX_KEYS, KeyMatch

MemberKeyKind = strawberry.enum(KeyKind, name="MemberKeyKind")


@strawberry.type
class MemberKeyRefusal:
    code: str = strawberry.field(description="NOT_FOUND, FORBIDDEN or BAD_USER_INPUT")
    message: str
    field: str | None


@strawberry.type(
    description="Who holds one key asked for: the member and their cell, or why not. An "
    "unknown key and one outside the caller's grants are refused alike (FORBIDDEN; NOT_FOUND "
    "to a whole-tree grant)."
)
class MemberKeyMatch:
    kind: MemberKeyKind  # type: ignore[valid-type]
    index: int = strawberry.field(description="Its position among the keys of its kind asked")
    member_id: strawberry.ID | None
    refusal: MemberKeyRefusal | None
    organisation_id: strawberry.Private[str | None]

    @strawberry.field(description="The member's cell")
    def organisation(self) -> Organisation | None:
        return organisation(self.organisation_id)


def refusal_of(error: Exception, field: str) -> MemberKeyRefusal:
    named = getattr(error, "details", {}).get("field")
    return MemberKeyRefusal(
        code=getattr(error, "code", "BAD_USER_INPUT"),
        message=str(error),
        field=named if isinstance(named, str) else field,
    )


@strawberry.type
class KeyQuery:
    @strawberry.field(
        description="City systems (INTEGRATION) that keep partyorg's ids: the member holding "
        f"each party card number or citizen ID, with their cell; at most {MAX_KEYS} keys a call, "
        "each answered on its own, in the order asked (card numbers first). Every match is a "
        "logged personal read."
    )
    async def member_keys(
        self,
        info: Context,
        card_numbers: list[str] | None = None,
        citizen_ids: list[str] | None = None,
    ) -> list[MemberKeyMatch]:
        access = info.context.access
        access.require_some_right(Operation.LOOK_UP_KEYS)
        matches = await info.context.use_cases.members.members_by_key(
            card_numbers or [], citizen_ids or []
        )
        allowed = await access.keep(
            Operation.LOOK_UP_KEYS, [m.member for m in matches if m.member is not None]
        )
        reachable = {member.id for member in allowed}
        unknown: Exception = (
            NotFound("Nobody holds this key.")
            if access.everywhere(Operation.LOOK_UP_KEYS)
            else Forbidden()
        )
        counted = {KeyKind.CARD_NUMBER: 0, KeyKind.CITIZEN_ID: 0}
        answers = []
        for match in matches:
            index = counted[match.kind]
            counted[match.kind] += 1
            answers.append(answer(match, index, reachable, unknown))
        return answers


def answer(match: KeyMatch, index: int, reachable: set[str], unknown: Exception) -> MemberKeyMatch:
    member = match.member
    if member is not None and member.id in reachable:
        return MemberKeyMatch(
            kind=match.kind,
            index=index,
            member_id=strawberry.ID(member.id),
            refusal=None,
            organisation_id=member.organisation_id,
        )
    error = match.error or unknown
    return MemberKeyMatch(
        kind=match.kind,
        index=index,
        member_id=None,
        refusal=refusal_of(error, match.kind.value),
        organisation_id=None,
    )
