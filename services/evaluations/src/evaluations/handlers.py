"""What this service does when other services tell it something happened."""

from kit.consumer import Subscriptions
from kit.events import Event

from evaluations import events
from evaluations.service import EvaluationService


def subscriptions(service: EvaluationService) -> Subscriptions:
    async def when_member_registered_put_them_on_the_roster(event: Event) -> None:
        await service.enrol(events.roster_entry_of_registration(event.data), event.id)

    return {events.MEMBER_REGISTERED: when_member_registered_put_them_on_the_roster}
