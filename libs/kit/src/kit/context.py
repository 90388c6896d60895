"""Request-scoped values that follow a request through HTTP, events and consumers."""

import uuid

from partyorg_logs import request_id as request_id  # each log line carries it

REQUEST_ID_HEADER = "x-request-id"


def current_request_id() -> str:
    """The request id in force, or a new one when work did not start from a request."""
    value = request_id.get()
    if value is None:
        value = uuid.uuid4().hex
        request_id.set(value)
    return value
