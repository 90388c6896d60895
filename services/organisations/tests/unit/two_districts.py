"""Two districts built through the use cases, and callers acting in them (the callers' rights
are the schema's to check: a use case is given what was checked)."""

from datetime import date

from kit.identity import Grant, Principal, Role
from organisations.domain import CellType, OrganisationKind
from organisations.service.commands import CreateOrganisation, IssueDirective, LaunchCampaign

from services.organisations.tests.unit.fakes import Services

WHOLE_TREE = Principal("u-root", "Ban Tổ chức Thành ủy", (Grant(Role.DISTRICT_STANDING),))


def acting(role: Role, at: str, name: str = "Nguyễn Văn An", subject: str = "u-an") -> Principal:
    return Principal(subject, name, (Grant(role, at),))


async def two_districts(services: Services) -> dict[str, str]:
    """Hà Nội > Ba Đình > Giảng Võ > its agency cell and a residential cell; and Tây Hồ > Tứ
    Liên > its agency cell. Giảng Võ's and Tứ Liên's cases are opened."""
    ids: dict[str, str] = {}

    async def create(key: str, kind: OrganisationKind, parent: str | None, **more: object) -> None:
        created = await services.hierarchy.create_organisation(
            CreateOrganisation(
                code=f"X-{key}",
                name=key,
                kind=kind,
                parent_id=ids[parent] if parent else None,
                **more,  # type: ignore[arg-type]
            )
        )
        ids[key] = created.id

    await create("HN", OrganisationKind.CITY_COMMITTEE, None)
    for district, ward in (("BD", "GV"), ("TH", "TL")):
        await create(district, OrganisationKind.DISTRICT_COMMITTEE, "HN")
        await create(ward, OrganisationKind.WARD_COMMITTEE, district)
        await create(f"{ward}-CQ", OrganisationKind.CELL, ward, cell_type=CellType.AGENCY)
        await create(
            f"{ward}-TDP01",
            OrganisationKind.CELL,
            ward,
            cell_type=CellType.RESIDENTIAL,
            coverage=["TDP 1"],
        )
    await services.directives.issue_directive(
        IssueDirective(number="383-CV/QU", issuer="Quận ủy", issued_on=date(2019, 9, 5), title="x")
    )
    for district, ward in (("BD", "GV"), ("TH", "TL")):
        campaign = await services.dissolution.launch_campaign(
            LaunchCampaign(
                directive_number="383-CV/QU",
                district_committee_id=ids[district],
                ward_committee_ids=[ids[ward]],
                plan_deadline=date(2019, 9, 15),
            ),
            acting(Role.DISTRICT_STANDING, ids[district]),
        )
        [target] = campaign.targets
        ids[f"{ward}-case"] = next(
            c.id
            for c in await services.dissolution_reads.find_cases()
            if c.cell_id == target.cell_id
        )
    return ids
