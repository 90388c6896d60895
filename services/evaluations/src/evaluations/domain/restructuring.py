"""What this service learns of the organisations' restructurings (issue 14, item 4): periods
before the effective date stay with the old units, the ones that end after it go to the new.
Standard library only."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from evaluations.domain.roster import FormerAncestry, KnownOrganisation, Placement, RosterEntry


@dataclass(frozen=True)
class ParentChange:
    organisation_id: str
    from_parent_id: str | None


@dataclass(frozen=True)
class CompletedRestructuring:
    """A completed case as this service reads it: from `effective_on`, the organisations that
    moved under another parent and the cells merged, each into its successor."""

    case_id: str
    effective_on: date
    parent_changes: list[ParentChange]
    cell_merges: dict[str, str]  # merged → successor

    def placement_after(self, entry: RosterEntry) -> Placement | None:
        """A member of a merged cell on the effective date: evaluated by its successor from
        then on (None when the member is in no merged cell by then)."""
        on = self.effective_on
        successor = self.cell_merges.get(entry.cell_for_day(on) or "")
        if successor is None:
            return None
        return Placement(successor, on, f"restructuring:{self.case_id}")

    def former_ancestries(
        self,
        known: Mapping[str, KnownOrganisation],
        below: Mapping[str, Sequence[KnownOrganisation]],
    ) -> dict[str, FormerAncestry]:
        """Where each organisation that moved, and each under it, stood before: the former
        parent's ancestry and the former parent, then its own path down (what is under an
        organisation that moves moves with it). `known`: the former parents; `below`: each
        moved organisation's descendants as known now (before or after the move is told)."""
        former: dict[str, FormerAncestry] = {}
        for change in self.parent_changes:
            parent = known.get(change.from_parent_id or "")
            above = (*parent.ancestor_ids, parent.id) if parent else ()
            moved = change.organisation_id
            former[moved] = FormerAncestry(self.case_id, self.effective_on, above)
            for organisation in below.get(moved, ()):
                for ancestry in (
                    organisation.ancestor_ids,
                    *[f.ancestor_ids for f in organisation.former],
                ):
                    if moved in ancestry:
                        path = ancestry[ancestry.index(moved) :]
                        former[organisation.id] = FormerAncestry(
                            self.case_id, self.effective_on, (*above, *path)
                        )
                        break
        return former
