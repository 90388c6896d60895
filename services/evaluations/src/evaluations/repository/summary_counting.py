"""How the summary counts are keyed and kept: the days a roster entry brings a member into a
cell and takes them out, a count by key as the store keeps it, and the marks writes leave."""

import uuid
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from kit.mongo import Document

from evaluations.domain import Period, RosterEntry
from evaluations.domain.counts import CountedCells
from evaluations.service.roster_ports import Move

FROM_THE_START = ""  # the day of a placement with no date: before every other day
ADDED, ADDED_REQUIRED = "added", "added_required"  # joins and leaves by day, on top of `days`
START_FIELD = "0000-00-00"  # FROM_THE_START as a field name (sorts before every day)
MARKS_LAPSE = timedelta(minutes=10)  # longer than any write takes between its mark and recount


def period_key(cell_id: str, period: str) -> str:
    """The key of a cell's counts for a period (its evaluations, its job results)."""
    return f"{cell_id} {period}"


def cell_and_period(key: str) -> tuple[str, str]:
    cell_id, period = key.rsplit(" ", 1)
    return cell_id, period


@dataclass(frozen=True)
class CountKeys:
    """The counts a write changes: cells' rosters, and (cell, period) evaluations and job
    results."""

    cells: frozenset[str] = frozenset()
    evaluations: frozenset[str] = frozenset()
    assessments: frozenset[str] = frozenset()

    def __or__(self, other: "CountKeys") -> "CountKeys":
        return CountKeys(
            self.cells | other.cells,
            self.evaluations | other.evaluations,
            self.assessments | other.assessments,
        )

    def __sub__(self, other: "CountKeys") -> "CountKeys":
        return CountKeys(
            self.cells - other.cells,
            self.evaluations - other.evaluations,
            self.assessments - other.assessments,
        )


def keys_in(cells: Collection[str], periods: Collection[str]) -> frozenset[str]:
    return frozenset(period_key(cell, period) for cell in cells for period in periods)


def moved_keys(
    moves: Sequence[Move],
    entries: Mapping[str, RosterEntry],
    evaluated: Mapping[str, Collection[str]],
    assessed: Mapping[str, Collection[str]],
) -> CountKeys:
    """The counts these moves change, from each member's entry before it: the roster of the
    cell left on the day received and of the cell joined; and, for the periods since that day
    that the member's cells have counts of (`evaluated`, `assessed`: periods by cell), those
    cells' and the joined cell's counts of evaluations and job results."""
    cells: set[str] = set()
    evaluations: set[str] = set()
    assessments: set[str] = set()
    for member_id, placement, _ in moves:
        cells.add(placement.cell_id)
        entry = entries.get(member_id)
        if entry is None:
            continue
        since = placement.since
        left = entry.cells() if since is None else {entry.cell_for_day(since) or ""} - {""}
        cells.update(left)
        places = entry.cells() | {placement.cell_id}
        evaluations.update(keys_in(places, periods_since(evaluated, places, since)))
        assessments.update(keys_in(places, periods_since(assessed, places, since)))
    return CountKeys(frozenset(cells), frozenset(evaluations), frozenset(assessments))


def periods_since(
    periods: Mapping[str, Collection[str]], cells: Collection[str], since: date | None
) -> set[str]:
    """Of these cells' periods, those that end on or after the day (all, without one)."""
    return {
        period
        for cell in cells
        for period in periods.get(cell, ())
        if since is None or Period.parse(period).ends_on >= since
    }


def day_changes(entry: RosterEntry, cell_id: str) -> Counter[str]:
    """+1 on each day the entry's placements bring the member into the cell, -1 on each day
    they take them out (as RosterEntry.cell_for_day reads them)."""
    changes: Counter[str] = Counter()
    ordered = sorted(entry.placements, key=lambda p: p.since or date.min)
    for placement, following in zip(ordered, [*ordered[1:], None], strict=True):
        if placement.cell_id != cell_id:
            continue
        changes[placement.since.isoformat() if placement.since else FROM_THE_START] += 1
        if following is not None:
            changes[following.since.isoformat() if following.since else FROM_THE_START] -= 1
    return changes


def roster_counted(placed: list[RosterEntry], cell_id: str) -> Document:
    """A cell's joins and leaves by day, of everyone placed in it ever, and of those whose job
    results count."""
    days: Counter[str] = Counter()
    required: Counter[str] = Counter()
    for entry in placed:
        changes = day_changes(entry, cell_id)
        days.update(changes)
        if entry.workplace_results_required:
            required.update(changes)
    return {"days": stored(days), "required_days": stored(required)}


def evaluations_counted(
    found: list[Document], placed: list[RosterEntry], assessed: set[str], period: str
) -> Document:
    """A cell's stored evaluations for a period by state and final rating, and by where the
    roster places their members for the period: all, and those lacking job results that count."""
    entries = {entry.member_id: entry for entry in placed}
    rostered: Counter[str] = Counter()
    unassessed: Counter[str] = Counter()
    for document in found:
        entry = entries.get(document["member_id"])
        place = (entry.cell_for(Period.parse(period)) if entry else None) or ""
        rostered[place] += 1
        if entry and entry.workplace_results_required and entry.member_id not in assessed:
            unassessed[place] += 1
    return {
        "period": period,
        "states": stored(Counter(d["state"] for d in found)),
        "ratings": stored(Counter(d["final_rating"] for d in found if d.get("final_rating"))),
        "rostered": stored(rostered),
        "required_unassessed": stored(unassessed),
    }


def on_the_day(kept: str | None, day: date) -> int:
    """Those on a cell's list on that day, from its kept joins and leaves by day."""
    last = day.isoformat()
    return sum(n for joined, n in counter_of(kept).items() if joined <= last)


def added_on_the_day(document: Document, field: str, last: str) -> int:
    """Of the increments a count document took since it was counted, those up to that day."""
    kept: Mapping[str, int] = document.get(field) or {}
    return sum(
        n for day, n in kept.items() if (FROM_THE_START if day == START_FIELD else day) <= last
    )


def stored(counter: Counter[str]) -> str:
    """A count by key as the store keeps it: one text, "2005-03-02=6,2019-10-20=-1". (FerretDB
    1.24 reads a list of sub-documents slowly: 437 cells' joins by day, 17,911 of them, took
    4 s to read as {key, n} pairs; and it takes a `$set` of a sub-document whose values equal
    the old one's, under other keys, for no change.)"""
    return ",".join(f"{key}={n}" for key, n in sorted(counter.items()) if n)


def compacted(document: Document) -> tuple[Document, Document]:
    """A roster count with the increments it took (`added`, a field a day) put into its days,
    as the guard that finds it unchanged and the update: the same counts in one text each
    (FerretDB 1.24 reads a document of many fields slowly: a district's 536 roster counts,
    joined over a year, took 200 ms to read, 27 ms compacted)."""
    guard: Document = {"_id": document["_id"]}
    kept: Document = {}
    for counted, added in (("days", ADDED), ("required_days", ADDED_REQUIRED)):
        guard[counted], guard[added] = document.get(counted), document.get(added)
        days = counter_of(document.get(counted))
        for day, n in (document.get(added) or {}).items():
            days[FROM_THE_START if day == START_FIELD else day] += n
        kept[counted] = stored(days)
    return guard, {"$set": kept, "$unset": {ADDED: "", ADDED_REQUIRED: ""}}


def counter_of(kept: str | None) -> Counter[str]:
    pairs = (pair.rpartition("=") for pair in (kept or "").split(",") if pair)
    return Counter({key: int(n) for key, _, n in pairs})


def marked(key: str, mark: str, of_a_period: bool) -> Document:
    """The update that marks a count as about to change; a count of a cell's period also
    names its cell and period (its first mark may come before it is ever counted)."""
    update: Document = {"$push": {"pending": mark}}
    if of_a_period:
        cell_id, period = cell_and_period(key)
        update["$set"] = {"cell_id": cell_id, "period": period}
    return update


def new_mark() -> str:
    return f"{datetime.now(UTC).isoformat()} {uuid.uuid4().hex}"


def lapsed(mark: str) -> bool:
    """A mark older than any write takes: its writer stopped before counting again."""
    made = datetime.fromisoformat(mark.split(" ", 1)[0])
    return datetime.now(UTC) - made > MARKS_LAPSE


def summed(
    roster: list[Document],
    evaluations: list[Document],
    assessed: list[Document],
    wanted: Collection[str],
    period: Period,
) -> CountedCells:
    """What the count documents of some cells (`wanted`) say for a period."""
    found = CountedCells(documents_read=len(roster) + len(evaluations) + len(assessed))
    last = period.ends_on.isoformat()
    for document in roster:
        found.on_roster += on_the_day(document.get("days"), period.ends_on)
        found.on_roster += added_on_the_day(document, ADDED, last)
        found.required_on_roster += on_the_day(document.get("required_days"), period.ends_on)
        found.required_on_roster += added_on_the_day(document, ADDED_REQUIRED, last)
    for document in evaluations:
        found.by_state.update(counter_of(document.get("states")))
        found.by_rating.update(counter_of(document.get("ratings")))
        for cell, n in counter_of(document.get("rostered")).items():
            found.stored_on_roster += n if cell in wanted else 0
        for cell, n in counter_of(document.get("required_unassessed")).items():
            found.unassessed_off_roster += 0 if cell in wanted else n
    for document in assessed:
        found.assessed_on_roster += int(document.get("required_assessed") or 0)
    return found
