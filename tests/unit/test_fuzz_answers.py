"""The fuzz's judge of an answer: internal text leaks, unless the request itself sent it."""

from tests.fuzz.traffic import Answer


def test_internal_looking_text_the_request_sent_is_no_leak_when_echoed() -> None:
    echoed = Answer(200, '{"errors":[{"message":"No campaign with id aio_pika."}]}', None)
    assert echoed.faults(sent='{ restructuringCampaign(id: "aio_pika") { id } }') == []
    assert echoed.faults(sent="{ campaigns { id } }") != []  # not sent: a leak
