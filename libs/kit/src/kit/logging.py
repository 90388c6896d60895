"""The services' logs: partyorg's one JSON format (partyorg_logs), the request id in force on
each line (kit.context sets it), and Strawberry's execution log left out."""

import logging

from partyorg_logs import JsonFormatter
from partyorg_logs import configure_logging as write_json_lines

__all__ = ["JsonFormatter", "configure_logging"]


def configure_logging(service: str, level: str = "INFO") -> None:
    write_json_lines(service, level)
    # kit.error_codes logs internal errors once; refusals of bad input are answers, not errors
    logging.getLogger("strawberry.execution").setLevel(logging.CRITICAL)
