"""Directives [văn bản]: numbered documents that chain on the ones they are based on."""

import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from organisations.domain.errors import DomainError


class DirectiveKind(Enum):
    """The middle part of a directive number."""

    CONCLUSION = "KL"
    PLAN = "KH"
    GUIDANCE = "HD"
    OFFICIAL_LETTER = "CV"
    DECISION = "QĐ"
    RESOLUTION = "NQ"


_KIND_BY_CODE = {kind.value: kind for kind in DirectiveKind} | {"QD": DirectiveKind.DECISION}
EXPECTED_FORM = "<number>-<KL|KH|HD|CV|QĐ|NQ>/<issuer>, e.g. 383-CV/QU"
_NUMBER = re.compile(r"^(\d+)\s*-\s*([A-ZĐ]+)\s*/\s*([A-Z0-9Đ][A-Z0-9Đ-]*)$")


@dataclass(frozen=True)
class DirectiveNumber:
    serial: int
    kind: DirectiveKind
    issuer_code: str

    @classmethod
    def parse(cls, text: str) -> "DirectiveNumber":
        match = _NUMBER.match(text.strip().upper())
        kind = _KIND_BY_CODE.get(match.group(2)) if match else None
        if match is None or kind is None:
            raise DomainError(
                f"'{text}' is not a directive number: expected {EXPECTED_FORM}.",
                field="number",
                expectedForm=EXPECTED_FORM,
            )
        return cls(int(match.group(1)), kind, match.group(3))

    def __str__(self) -> str:
        return f"{self.serial}-{self.kind.value}/{self.issuer_code}"

    @property
    def key(self) -> str:
        """The same for every spelling of one number (QĐ/QD, Đ/D, letter case)."""
        return str(self).replace("Đ", "D")


@dataclass
class Directive:
    id: str
    number: DirectiveNumber
    issuer: str
    issued_on: date
    title: str
    issuer_organisation_id: str | None = None
    based_on_ids: list[str] = field(default_factory=list)
    other_issued_dates: list[date] = field(default_factory=list)

    @classmethod
    def issue(
        cls,
        *,
        id: str,
        number: DirectiveNumber,
        issuer: str,
        issued_on: date,
        title: str,
        issuer_organisation_id: str | None = None,
        based_on: "list[Directive] | None" = None,
        other_issued_dates: list[date] | None = None,
    ) -> "Directive":
        if not issuer.strip():
            raise DomainError("A directive needs its issuer.", field="issuer")
        if not title.strip():
            raise DomainError("A directive needs a title.", field="title")
        return cls(
            id=id,
            number=number,
            issuer=issuer.strip(),
            issued_on=issued_on,
            title=title.strip(),
            issuer_organisation_id=issuer_organisation_id,
            based_on_ids=list(dict.fromkeys(d.id for d in based_on or [])),
            other_issued_dates=sorted(set(other_issued_dates or []) - {issued_on}),
        )
