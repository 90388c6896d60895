"""How a roster entry is stored: the document of a member's placements and stays, and the
guarded updates that apply a profile or a move once."""

from collections.abc import Sequence
from datetime import date

from kit.mongo import Document

from evaluations.domain import (
    Placement,
    RosterEntry,
    Stay,
)
from evaluations.repository.documents import day, optional_day
from evaluations.service.ports import Enrolment, Profile


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
