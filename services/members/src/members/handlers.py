"""What this service does when other services tell it something happened."""

from kit.consumer import Subscriptions
from kit.events import Event

from members import events
from members.service import MemberService


def subscriptions(service: MemberService) -> Subscriptions:
    async def when_organisation_registered_remember_it(event: Event) -> None:
        await service.learn_organisation(events.known_organisation(event.data))

    return {events.ORGANISATION_REGISTERED: when_organisation_registered_remember_it}
