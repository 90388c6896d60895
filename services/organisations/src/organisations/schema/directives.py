# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is untyped for mypy 2 in strawberry 0.341)
"""Directives [văn bản] in the subgraph."""

from datetime import date

import strawberry

from organisations import domain
from organisations.authorisation import Operation
from organisations.schema.context import Context
from organisations.schema.organisations import Organisation
from organisations.service.commands import IssueDirective

DirectiveKind = strawberry.enum(
    domain.DirectiveKind,
    description="From the middle part of the number: KL conclusion [kết luận], KH plan [kế "
    "hoạch], HD guidance [hướng dẫn], CV official letter [công văn], QĐ decision [quyết định], "
    "NQ resolution [nghị quyết]",
)


@strawberry.federation.type(
    keys=["id"],
    description="A directive [văn bản], e.g. 383-CV/QU. Holds no personal data: any "
    "authenticated caller reads it.",
)
class Directive:
    id: strawberry.ID
    number: str
    kind: DirectiveKind  # type: ignore[valid-type]
    kind_code: str = strawberry.field(description="KL, KH, HD, CV, QĐ or NQ")
    issuer_code: str = strawberry.field(description="The part after the slash, e.g. QU")
    issuer: str = strawberry.field(description="Who issued it, as written, e.g. Quận ủy Ba Đình")
    issued_on: date
    other_issued_dates: list[date] = strawberry.field(
        description="Other dates the sources give for this directive (kept as data, not fixed)"
    )
    title: str
    issuer_organisation_id: strawberry.Private[str | None]
    based_on_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The organisation that issued it, when it is in the hierarchy")
    async def issuer_organisation(self, info: Context) -> Organisation | None:
        if self.issuer_organisation_id is None:
            return None
        return Organisation.of(
            await info.context.use_cases.hierarchy.organisation(self.issuer_organisation_id)
        )

    @strawberry.field(description="The directives this one is directly based on")
    async def based_on(self, info: Context) -> list["Directive"]:
        service = info.context.use_cases.directives
        return [Directive.of(d) for d in await service.based_on(await self._domain(info))]

    @strawberry.field(description="Every directive this one rests on, directly or not")
    async def chain(self, info: Context) -> list["Directive"]:
        service = info.context.use_cases.directives
        return [Directive.of(d) for d in await service.chain(await self._domain(info))]

    async def _domain(self, info: Context) -> domain.Directive:
        return await info.context.use_cases.directives.directive_by_id(self.id)

    @classmethod
    async def resolve_reference(cls, info: Context, id: strawberry.ID) -> "Directive":
        return cls.of(await info.context.use_cases.directives.directive_by_id(id))

    @classmethod
    def of(cls, directive: domain.Directive) -> "Directive":
        return cls(
            id=strawberry.ID(directive.id),
            number=str(directive.number),
            kind=directive.number.kind,
            kind_code=directive.number.kind.value,
            issuer_code=directive.number.issuer_code,
            issuer=directive.issuer,
            issued_on=directive.issued_on,
            other_issued_dates=directive.other_issued_dates,
            title=directive.title,
            issuer_organisation_id=directive.issuer_organisation_id,
            based_on_ids=directive.based_on_ids,
        )


@strawberry.input
class IssueDirectiveInput:
    number: str = strawberry.field(description="e.g. 383-CV/QU: <number>-<kind>/<issuer>")
    issuer: str
    issued_on: date
    title: str
    issuer_organisation_id: strawberry.ID | None = None
    based_on: list[str] | None = strawberry.field(
        default=None, description="Numbers of the directives it is based on (already recorded)"
    )
    other_issued_dates: list[date] | None = None

    def command(self) -> IssueDirective:
        return IssueDirective(
            number=self.number,
            issuer=self.issuer,
            issued_on=self.issued_on,
            title=self.title,
            issuer_organisation_id=self.issuer_organisation_id,
            based_on=self.based_on or (),
            other_issued_dates=self.other_issued_dates or (),
        )


@strawberry.type
class DirectiveQuery:
    @strawberry.field(
        description="The directive with this number (QĐ or QD, any case); any authenticated caller"
    )
    async def directive(self, info: Context, number: str) -> Directive:
        return Directive.of(await info.context.use_cases.directives.directive(number))

    @strawberry.field(description="Every directive, by issue date; any authenticated caller")
    async def directives(self, info: Context) -> list[Directive]:
        return [Directive.of(d) for d in await info.context.use_cases.directives.all_directives()]


@strawberry.type
class DirectiveMutation:
    @strawberry.mutation(
        description="Record a directive [văn bản] and what it is based on. DISTRICT_STANDING."
    )
    async def issue_directive(self, info: Context, input: IssueDirectiveInput) -> Directive:
        info.context.access.require_some_right(Operation.ISSUE_DIRECTIVE)
        directive = await info.context.use_cases.directives.issue_directive(input.command())
        return Directive.of(directive)
