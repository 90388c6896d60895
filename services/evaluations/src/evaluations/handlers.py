"""What this service does when other services tell it something happened."""

from collections.abc import Sequence

from kit.clock import KeptDay, day_of
from kit.consumer import BatchHandler, Subscriptions
from kit.events import Event

from evaluations import events
from evaluations.service import RosterService
from evaluations.service.roster_ports import Enrolment, Profile


def subscriptions(roster: RosterService, kept_day: KeptDay | None = None) -> Subscriptions:
    """What this service applies; `kept_day` hears the day set in development (none in the
    benches and tests that wire the roster alone)."""

    async def when_members_registered_put_them_on_the_roster(batch: Sequence[Event]) -> None:
        await roster.enrol_many(
            [
                Enrolment(
                    events.roster_entry_of_registration(event.data),
                    int(event.data.get("version") or 1),
                    event.id,
                )
                for event in batch
            ]
        )

    async def when_members_updated_refresh_their_profiles(batch: Sequence[Event]) -> None:
        await roster.update_profiles(
            [
                Profile(
                    e.data["memberId"],
                    e.data["fullName"],
                    e.data.get("workplaceRole"),
                    int(e.data["version"]),
                    events.key_digests(e.data),
                )
                for e in batch
                if events.may_change_the_profile(e.data)
            ]
        )

    async def when_transfers_received_move_the_current_period_or_note_the_stay(
        batch: Sequence[Event],
    ) -> None:
        moved = [e for e in batch if not events.is_temporary(e.data)]
        hosted = [e for e in batch if events.is_temporary(e.data)]
        await roster.record_transfers(
            [(e.data["memberId"], events.placement_of_transfer(e.data), e.id) for e in moved],
            [e.data["fromOrganisationId"] for e in moved if e.data.get("fromOrganisationId")],
        )
        stays = [(e.data["memberId"], events.stay_of_transfer(e.data), e.id) for e in hosted]
        await roster.record_stays([(m, stay, i) for m, stay, i in stays if stay is not None])

    async def when_reception_corrected_redate_the_move(event: Event) -> None:
        data = event.data
        if data.get("personKind", "MEMBER") != "MEMBER":
            return  # a candidate's re-homing: nobody on the roster
        since = events.placement_of_transfer(data).since
        assert since is not None
        await roster.redate_transfer(data["memberId"], data["transferId"], since, event.id)

    async def when_candidate_admitted_put_the_new_member_on_the_roster(event: Event) -> None:
        entry = events.roster_entry_of_admission(event.data, event.time.date())
        await roster.enrol(entry, 0, event.id)

    async def when_organisations_changed_remember_them(batch: Sequence[Event]) -> None:
        await roster.learn_organisations([events.known_organisation(e.data) for e in batch])

    async def when_restructuring_completed_follow_the_units(event: Event) -> None:
        await roster.follow_restructuring(events.completed_restructuring(event.data), event.id)

    async def when_today_set_keep_the_day(event: Event) -> None:
        if kept_day is not None:
            await kept_day.keep(day_of(event.data))  # development only: one clock for all

    return {
        events.TODAY_SET: when_today_set_keep_the_day,
        events.MEMBER_REGISTERED: BatchHandler(when_members_registered_put_them_on_the_roster),
        events.MEMBER_UPDATED: BatchHandler(when_members_updated_refresh_their_profiles),
        events.TRANSFER_RECEIVED: BatchHandler(
            when_transfers_received_move_the_current_period_or_note_the_stay
        ),
        events.TRANSFER_RECEPTION_CORRECTED: when_reception_corrected_redate_the_move,
        events.CANDIDATE_ADMITTED: when_candidate_admitted_put_the_new_member_on_the_roster,
        events.ORGANISATION_REGISTERED: BatchHandler(when_organisations_changed_remember_them),
        events.ORGANISATION_UPDATED: BatchHandler(when_organisations_changed_remember_them),
        events.RESTRUCTURING_COMPLETED: when_restructuring_completed_follow_the_units,
    }
