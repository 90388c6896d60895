"""What a caller asks the organisations service to do, one command per intent, as the schema
builds it from the mutation's input: a new field is added here, in the input that builds it,
and in the use case that reads it."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from organisations.domain import CellType, Organisation, OrganisationKind, RestructuringKind


@dataclass(frozen=True)
class CreateOrganisation:
    code: str
    name: str
    kind: OrganisationKind
    parent_id: str | None = None
    cell_type: CellType | None = None
    coverage: list[str] | None = None


@dataclass(frozen=True)
class UpdateOrganisation:
    """Only the fields given change; a new parent moves the subtree."""

    code: str | None = None
    name: str | None = None
    parent_id: str | None = None
    cell_type: CellType | None = None
    coverage: list[str] | None = None

    def moves(self, organisation: Organisation) -> bool:
        """Whether it takes the organisation, and its subtree, under another parent."""
        return bool(self.parent_id) and self.parent_id != organisation.parent_id


@dataclass(frozen=True)
class IssueDirective:
    number: str
    issuer: str
    issued_on: date
    title: str
    issuer_organisation_id: str | None = None
    based_on: Sequence[str] = ()
    other_issued_dates: Sequence[date] = ()


@dataclass(frozen=True)
class LaunchCampaign:
    directive_number: str
    district_committee_id: str
    ward_committee_ids: Sequence[str]
    plan_deadline: date


@dataclass(frozen=True)
class LaunchRestructuringCampaign:
    title: str
    organisation_id: str
    directive_number: str | None = None


@dataclass(frozen=True)
class FormUnit:
    """A new organisation a restructuring forms."""

    code: str
    name: str
    parent_id: str
    child_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpenRestructuring:
    kind: RestructuringKind
    source_ids: Sequence[str]
    receiving_id: str | None = None
    new_units: Sequence[FormUnit] = ()
    new_codes: dict[str, str] = field(default_factory=dict)
    campaign_id: str | None = None

    @property
    def concerned_ids(self) -> list[str]:
        """Every organisation given and received (the new units' parents receive)."""
        receiving = (
            [self.receiving_id] if self.receiving_id else [u.parent_id for u in self.new_units]
        )
        return list(dict.fromkeys([*self.source_ids, *receiving]))
