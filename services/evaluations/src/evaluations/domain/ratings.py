"""The four ratings, and the 100-point scale of the 2025 rules."""

from enum import Enum

from evaluations.domain.errors import DomainError


class Rating(Enum):
    """The four levels of 132-QĐ/TW and 366-QĐ/TW, lowest first in `rank`."""

    EXCELLENT = "EXCELLENT"
    GOOD = "GOOD"
    COMPLETED = "COMPLETED"
    NOT_COMPLETED = "NOT_COMPLETED"

    @property
    def rank(self) -> int:
        return {"NOT_COMPLETED": 0, "COMPLETED": 1, "GOOD": 2, "EXCELLENT": 3}[self.value]

    @classmethod
    def parse(cls, text: str) -> "Rating":
        try:
            return cls(text.strip().upper())
        except ValueError:
            raise DomainError(
                f"'{text}' is not a rating: use EXCELLENT, GOOD, COMPLETED or NOT_COMPLETED.",
                field="rating",
            ) from None


def check_score(score: int | None) -> None:
    if score is not None and not 0 <= score <= 100:
        raise DomainError("A score is on the 100-point scale: 0 to 100.", field="score")
