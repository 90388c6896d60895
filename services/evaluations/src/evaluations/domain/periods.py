"""A month or a year of evaluation."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from evaluations.domain.errors import DomainError

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A month (`2019-10`) or a year (`2019`)."""

    year: int
    month: int | None = None

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = _PERIOD.match(text.strip())
        if match is None:
            raise DomainError(
                f"'{text}' is not a period: write a month as 2019-10 or a year as 2019.",
                field="period",
            )
        month = match["month"]
        return cls(int(match["year"]), int(month) if month else None)

    @property
    def is_year(self) -> bool:
        return self.month is None

    @property
    def starts_on(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def ends_on(self) -> date:
        if self.month is None or self.month == 12:
            return date(self.year, 12, 31)
        return date(self.year, self.month + 1, 1) - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)
