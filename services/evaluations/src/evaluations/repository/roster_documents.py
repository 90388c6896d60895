"""How a roster entry is stored: the document of a member's placements and stays, and the
guarded updates that apply a profile or a move once."""

from collections.abc import Sequence
from datetime import date

from kit.mongo import Document
from kit.mongo.bulk import bulk_write_in_parts
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from evaluations.domain import (
    Placement,
    RosterEntry,
    Stay,
)
from evaluations.repository.documents import day, optional_day
from evaluations.service.roster_ports import Enrolment, Profile


def roster_from(document: Document) -> RosterEntry:
    return RosterEntry(
        member_id=document["_id"],
        full_name=document.get("full_name") or "",
        workplace_role=document.get("workplace_role"),
        key_digests=tuple(document.get("key_digests") or ()),
        placements=[
            Placement(p["cell_id"], optional_day(p.get("since")), p.get("transfer_id"))
            for p in document.get("placements", [])
        ],
        stays=[
            Stay(
                s["cell_id"],
                date.fromisoformat(s["since"]),
                optional_day(s.get("until")),
                s["transfer_id"],
            )
            for s in document.get("stays", [])
        ],
    )


def placement_document(placement: Placement) -> Document:
    return {
        "cell_id": placement.cell_id,
        "since": day(placement.since),
        "transfer_id": placement.transfer_id,
    }


def stay_document(stay: Stay) -> Document:
    return {
        "cell_id": stay.cell_id,
        "since": day(stay.since),
        "until": day(stay.until),
        "transfer_id": stay.transfer_id,
    }


def cells_of(placements: Sequence[Placement]) -> list[str]:
    return sorted({p.cell_id for p in placements if p.cell_id})


def enrolled(enrolment: Enrolment) -> Document:
    entry, version, event_id = enrolment
    return {
        "_id": entry.member_id,
        "full_name": entry.full_name,
        "workplace_role": entry.workplace_role,
        "version": version,
        "placements": [placement_document(p) for p in entry.placements],
        "cell_ids": cells_of(entry.placements),
        "key_digests": list(entry.key_digests),
        "applied_events": [event_id],
        "applied_transfers": [],
    }


def profile_fields(profile: Profile) -> Document:
    fields: Document = {
        "full_name": profile.full_name,
        "workplace_role": profile.workplace_role,
        "version": profile.version,
    }
    if profile.key_digests is not None:  # none in an event of an earlier release
        fields["key_digests"] = list(profile.key_digests)
    return fields


PROFILE = {"full_name": 1, "workplace_role": 1, "key_digests": 1, "version": 1}


def profile_changes(document: Document | None, profile: Profile) -> bool:
    """Whether the profile is to be written over the stored one (`PROFILE`'s fields; None: no
    entry yet, written another way). Not when it is no newer, nor when it shows the same name,
    role and digests and comes right after it (the next version: none can come between)."""
    if document is None:
        return False
    version = document.get("version")
    if version is not None and version >= profile.version:
        return False
    same = (
        (document.get("full_name") or "") == profile.full_name
        and document.get("workplace_role") == profile.workplace_role
        and (
            profile.key_digests is None
            or list(document.get("key_digests") or ()) == list(profile.key_digests)
        )
    )
    return not (same and version is not None and profile.version == version + 1)


def results_count_flips(document: Document, profile: Profile) -> bool:
    """Whether the member's job results start or stop counting with the profile's role."""
    was = RosterEntry(profile.member_id, "", document.get("workplace_role"))
    now = RosterEntry(profile.member_id, "", profile.workplace_role)
    return was.workplace_results_required != now.workplace_results_required


def profile_update(profile: Profile) -> tuple[Document, Document]:
    return (
        {
            "_id": profile.member_id,
            "$or": [{"version": {"$lt": profile.version}}, {"version": {"$exists": False}}],
        },
        {"$set": profile_fields(profile)},
    )


def move_update(member_id: str, placement: Placement, event_id: str) -> tuple[Document, Document]:
    return (
        {
            "_id": member_id,
            "applied_events": {"$ne": event_id},
            "applied_transfers": {"$ne": placement.transfer_id},
        },
        {
            "$push": {
                "placements": placement_document(placement),
                "applied_events": event_id,
                "applied_transfers": placement.transfer_id,
            },
            "$addToSet": {"cell_ids": {"$each": cells_of([placement])}},
        },
    )


async def write_cells_if_missing(roster: AsyncCollection[Document]) -> int:
    """Entries kept before they carried `cell_ids` are given them; how many were."""
    missing = [roster_from(d) async for d in roster.find({}) if "cell_ids" not in d]
    await bulk_write_in_parts(
        roster,
        [
            UpdateOne({"_id": e.member_id}, {"$set": {"cell_ids": cells_of(e.placements)}})
            for e in missing
        ],
        [e.member_id for e in missing],
    )
    return len(missing)


def unknown_entry(
    member_id: str, event_id: str, transfer_id: str | None, **kept: object
) -> Document:
    """The entry a move or a stay starts for a member not on the roster yet."""
    return {
        "_id": member_id,
        "full_name": "",
        "workplace_role": None,
        "version": 0,
        "placements": [],
        "cell_ids": [],
        "applied_events": [event_id],
        "applied_transfers": [transfer_id],
        **kept,
    }


def moved_document(member_id: str, placement: Placement, event_id: str) -> Document:
    """The entry a move starts for a member not on the roster yet."""
    placements = [placement_document(placement)]
    cells = cells_of([placement])
    return unknown_entry(
        member_id, event_id, placement.transfer_id, placements=placements, cell_ids=cells
    )


def hosting(member_id: str, stay: Stay, event_id: str) -> tuple[Document, Document, Document]:
    """A stay's guarded update, and the entry it starts for a member not on the roster yet."""
    guard = {
        "_id": member_id,
        "applied_events": {"$ne": event_id},
        "applied_transfers": {"$ne": stay.transfer_id},
    }
    kept = {
        "stays": stay_document(stay),
        "applied_events": event_id,
        "applied_transfers": stay.transfer_id,
    }
    new = unknown_entry(member_id, event_id, stay.transfer_id, stays=[stay_document(stay)])
    return guard, {"$push": kept}, new


async def apply_or_insert(
    collection: AsyncCollection[Document], guard: Document, update: Document, new: Document
) -> None:
    """Update under a guard; when nothing matched, the member may be unknown yet: insert.
    A duplicate key then means the document exists (the guard refused, or another event
    created it meanwhile), so apply once more under the guard."""
    if (await collection.update_one(guard, update)).matched_count:
        return
    try:
        await collection.insert_one(new)
    except DuplicateKeyError:
        await collection.update_one(guard, update)
