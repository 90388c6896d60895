"""What this service does when other services (or itself) tell it something happened."""

from collections.abc import Sequence

from kit.clock import KeptDay, day_of
from kit.consumer import BatchHandler, Subscriptions
from kit.events import Event

from members import consumed_events, events
from members.service import MemberService, Relocation, Restructurings, TransfersInBulk


def subscriptions(
    members: MemberService,
    relocation: Relocation,
    in_bulk: TransfersInBulk,
    kept_day: KeptDay,
    restructurings: Restructurings,
) -> Subscriptions:
    async def when_organisations_registered_or_updated_remember_them(
        batch: Sequence[Event],
    ) -> None:
        await members.learn_organisations(
            [consumed_events.known_organisation(e.data) for e in batch]
        )

    async def when_dissolution_opened_remember_the_case(event: Event) -> None:
        await relocation.learn_case(consumed_events.opened_case(event.data))

    async def when_dissolution_decided_create_transfers(event: Event) -> None:
        await relocation.relocate_on_decision(consumed_events.decision(event.data))

    async def when_people_join_a_dissolving_cell_give_them_their_transfer(
        batch: Sequence[Event],
    ) -> None:
        await relocation.relocate_latecomers(
            [consumed_events.joining(e.type, e.data) for e in batch]
        )

    async def when_transfers_received_move_the_people(batch: Sequence[Event]) -> None:
        # the move normally happens with the reception; this finishes it after a crash
        await in_bulk.finish_receptions([event.data["transferId"] for event in batch])

    async def when_restructuring_completed_the_people_follow_their_cell(event: Event) -> None:
        await restructurings.follow(consumed_events.completed_restructuring(event.data))

    async def when_hand_over_signed_keep_the_member_list(event: Event) -> None:
        await restructurings.keep_hand_over(consumed_events.hand_over_signed(event.data))

    async def when_today_set_keep_the_day(event: Event) -> None:
        await kept_day.keep(day_of(event.data))  # development only: one clock for all

    remember_organisations = BatchHandler(when_organisations_registered_or_updated_remember_them)
    relocate_latecomers = BatchHandler(when_people_join_a_dissolving_cell_give_them_their_transfer)
    return {
        consumed_events.ORGANISATION_REGISTERED: remember_organisations,
        consumed_events.ORGANISATION_UPDATED: remember_organisations,
        consumed_events.DISSOLUTION_OPENED: when_dissolution_opened_remember_the_case,
        consumed_events.DISSOLUTION_DECIDED: when_dissolution_decided_create_transfers,
        events.TRANSFER_RECEIVED: BatchHandler(when_transfers_received_move_the_people),
        events.CANDIDATE_REHOMED: BatchHandler(when_transfers_received_move_the_people),
        consumed_events.RESTRUCTURING_COMPLETED: (
            when_restructuring_completed_the_people_follow_their_cell
        ),
        consumed_events.RESTRUCTURING_HANDED_OVER: when_hand_over_signed_keep_the_member_list,
        consumed_events.TODAY_SET: when_today_set_keep_the_day,
        events.MEMBER_REGISTERED: relocate_latecomers,
        events.CANDIDATE_INTRODUCED: relocate_latecomers,
    }
