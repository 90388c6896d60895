"""Crash points: where the fault tests kill a service with SIGKILL, at a seam of a write.

`PARTYORG_CRASH_AT=<point>` (or `<point>:<n>`: at its n-th pass) makes the process kill itself
with SIGKILL when it reaches that point — no `finally`, no lifespan shutdown, nothing flushed,
as an OOM kill or a lost machine would. Unset (always, outside tests/faults), a point costs a
comparison. The points:

    relay.published        the outbox relay has its events confirmed by RabbitMQ, not removed
    consumer.handled       a batch's handlers have written, its inbox claim is not marked
    consumer.marked        the inbox claim is marked applied, the messages are not acknowledged
    import.inserted        a bulk import has inserted a chunk of documents, not the rest
    batches.updated        a bulk save has updated its documents, its outbox batches are not
                           marked READY (kit.batched_saves)
    batches.ready          outbox batches are marked READY, their events not published
                           (kit.event_batches)
    roster.moved           the evaluations roster has moved members in bulk, their summary
                           counts are not counted again (evaluations repository/roster.py)
"""

import os
import signal

CRASH_AT = "PARTYORG_CRASH_AT"

_point, _, _pass = os.environ.get(CRASH_AT, "").partition(":")
_passes_left = int(_pass or 1)


def crash_point(name: str) -> None:
    """Kill this process here if the fault tests asked for it (see the module)."""
    global _passes_left
    if name != _point:
        return
    _passes_left -= 1
    if _passes_left <= 0:
        os.kill(os.getpid(), signal.SIGKILL)
