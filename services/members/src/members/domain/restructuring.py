"""What this service learns of the organisations' restructurings. Standard library only."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CellMerge:
    """An organisation that merged into another from the decision's effective date; when it
    is a cell, its people belong to the successor from then on."""

    case_id: str
    cell_id: str
    successor_id: str
