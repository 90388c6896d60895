"""What the counts kept per cell say of some cells for a period."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class CountedCells:
    """What the kept counts say of some cells for a period."""

    on_roster: int = 0  # members the roster places in the cells on the period's last day
    stored_on_roster: int = 0  # of them, those with a stored evaluation in the cells
    by_state: Counter[str] = field(default_factory=Counter)  # the stored evaluations
    by_rating: Counter[str] = field(default_factory=Counter)
    required_on_roster: int = 0  # of those on the roster, those whose job results count
    assessed_on_roster: int = 0  # of them, those whose job results are in
    unassessed_off_roster: int = 0  # stored here, placed elsewhere, job results counting, none in
    documents_read: int = 0

    @property
    def missing_workplace_assessment(self) -> int:
        return self.required_on_roster - self.assessed_on_roster + self.unassessed_off_roster
