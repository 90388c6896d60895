"""What this service does when other services (or itself) tell it something happened."""

from collections.abc import Sequence

from kit.consumer import Subscriptions
from kit.events import Event

from members import events
from members.service import MemberService, TransferService, TransfersInBulk


def subscriptions(
    members: MemberService, transfers: TransferService, in_bulk: TransfersInBulk
) -> Subscriptions:
    async def when_organisation_registered_or_updated_remember_it(event: Event) -> None:
        await members.learn_organisation(events.known_organisation(event.data))

    async def when_dissolution_opened_remember_the_case(event: Event) -> None:
        await transfers.learn_case(events.opened_case(event.data))

    async def when_dissolution_decided_create_transfers(event: Event) -> None:
        await transfers.relocate_on_decision(events.decision(event.data))

    async def when_transfer_received_move_the_person(event: Event) -> None:
        # the move normally happens with the reception; this finishes it after a crash
        await when_transfers_received_move_the_people([event])

    async def when_transfers_received_move_the_people(batch: Sequence[Event]) -> None:
        await in_bulk.finish_receptions([event.data["transferId"] for event in batch])

    return {
        events.ORGANISATION_REGISTERED: when_organisation_registered_or_updated_remember_it,
        events.ORGANISATION_UPDATED: when_organisation_registered_or_updated_remember_it,
        events.DISSOLUTION_OPENED: when_dissolution_opened_remember_the_case,
        events.DISSOLUTION_DECIDED: when_dissolution_decided_create_transfers,
        events.TRANSFER_RECEIVED: when_transfer_received_move_the_person,
        events.CANDIDATE_REHOMED: when_transfer_received_move_the_person,
    }
