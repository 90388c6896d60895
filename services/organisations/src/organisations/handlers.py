"""What this service does when other services tell it something happened."""

from kit.consumer import Subscriptions
from kit.events import Event

from organisations import events
from organisations.service import DissolutionService


def subscriptions(dissolution: DissolutionService) -> Subscriptions:
    async def when_members_relocated_close_the_case(event: Event) -> None:
        case_id, relocation = events.relocation_of(event.data, event.time.date())
        await dissolution.members_relocated(event.id, case_id, relocation)

    return {events.MEMBERS_RELOCATED: when_members_relocated_close_the_case}
