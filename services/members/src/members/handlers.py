"""What this service does when other services (or itself) tell it something happened."""

from collections.abc import Sequence

from kit.consumer import BatchHandler, Subscriptions
from kit.events import Event

from members import events
from members.domain import TransferState
from members.service import MemberService, TransferService


def subscriptions(members: MemberService, transfers: TransferService) -> Subscriptions:
    async def when_organisations_registered_or_updated_remember_them(
        batch: Sequence[Event],
    ) -> None:
        await members.learn_organisations([events.known_organisation(e.data) for e in batch])

    async def when_dissolution_opened_remember_the_case(event: Event) -> None:
        await transfers.learn_case(events.opened_case(event.data))

    async def when_dissolution_decided_create_transfers(event: Event) -> None:
        await transfers.relocate_on_decision(events.decision(event.data))

    async def when_transfer_received_move_the_person(event: Event) -> None:
        # the move normally happens with the reception; this finishes it after a crash
        transfer = await transfers.transfers.get(event.data["transferId"])
        if transfer is not None and transfer.state is TransferState.RECEIVED:
            await transfers.apply_reception(transfer)

    remember_organisations = BatchHandler(when_organisations_registered_or_updated_remember_them)
    return {
        events.ORGANISATION_REGISTERED: remember_organisations,
        events.ORGANISATION_UPDATED: remember_organisations,
        events.DISSOLUTION_OPENED: when_dissolution_opened_remember_the_case,
        events.DISSOLUTION_DECIDED: when_dissolution_decided_create_transfers,
        events.TRANSFER_RECEIVED: when_transfer_received_move_the_person,
        events.CANDIDATE_REHOMED: when_transfer_received_move_the_person,
    }
