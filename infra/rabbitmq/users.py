"""The exchanges and the public stream (definitions.json), one RabbitMQ user per service,
allowed only what the kit's bus and consumer do for it, and the read-only account of city
systems, allowed only to read the public stream — bound to the public exchange, where events
come without their personal data (kit.public_stream); a binding of an earlier release to the
services' exchange is removed.

    RABBITMQ_ADMIN_PASSWORD=… ORGANISATIONS_AMQP_PASSWORD=… MEMBERS_AMQP_PASSWORD=…
    EVALUATIONS_AMQP_PASSWORD=… CITY_STREAM_AMQP_PASSWORD=… python users.py
                                                      (compose's rabbitmq-users job)

The definitions go through the API rather than the broker's load_definitions: a broker that
imports definitions at boot does not create its default (admin) user.

What a service does on the broker, and the permission each step needs:
- checks the three exchanges exist (passive declarations,      nothing: this job declares
  DECLARE_EXCHANGES=false)                                       them, no service can delete
                                                                 or redefine them
- declares its queue and its dead-letter queue                 configure on both queues
- gives its queue the dead-letter exchange                     read on the queue, write on it
- binds its queues to the two exchanges                        write on the queues, read on
                                                               the exchanges; topic read on
                                                               the event types it binds
- publishes its events, whole and without personal data       write on the two topic
                                                               exchanges; topic write on its
                                                               own types on both
- consumes its queue                                           read on the queue
So a service cannot read, bind or declare another service's queues, nor publish an event
type that is not its own (`partyorg.<service>.…`). The city account (`city`) may consume the
public stream `partyorg.events.stream` and nothing else: no configure, no write, so it can
neither publish, declare, bind nor delete. The users have no management tags.
Uses only the standard library: it runs in a plain Python image against the management API.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SERVICES = ("organisations", "members", "evaluations")
EXCHANGE = "partyorg.events"
PUBLIC_EXCHANGE = f"{EXCHANGE}.public"
CITY_STREAM_USER = "city"


@dataclass(frozen=True)
class Permissions:
    configure: str
    write: str
    read: str
    topic_exchanges: tuple[str, ...]  # the topic permissions below hold on each
    topic_write: str  # routing keys (event types) it may publish
    topic_read: str  # routing keys it may bind its queue with


def escaped(name: str) -> str:
    return name.replace(".", r"\.")


def permissions(service: str, exchange: str = EXCHANGE) -> Permissions:
    topic, dead_letters = escaped(exchange), escaped(f"{exchange}.dead-letter")
    public = escaped(f"{exchange}.public")
    queue, dead_queue = escaped(f"{exchange}.{service}"), escaped(f"{exchange}.{service}.dead")
    return Permissions(
        configure=f"^({queue}|{dead_queue})$",
        write=f"^({topic}|{public}|{dead_letters}|{queue}|{dead_queue})$",
        read=f"^({topic}|{dead_letters}|{queue})$",
        topic_exchanges=(exchange, f"{exchange}.public"),
        topic_write=rf"^partyorg\.{service}\.",
        topic_read=r"^partyorg\.",
    )


def stream_reader_permissions(exchange: str = EXCHANGE) -> Permissions:
    """Reading the public stream (kit.public_stream) only: a stream is consumed with basic.qos
    and basic.consume, which need read on the queue and nothing else."""
    return Permissions(
        configure="^$",
        write="^$",
        read=f"^{escaped(f'{exchange}.stream')}$",
        topic_exchanges=(exchange,),
        topic_write="^$",
        topic_read="^$",
    )


class ManagementApi:
    def __init__(self, base_url: str, user: str, password: str) -> None:
        self.base_url = base_url.rstrip("/")
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.headers = {"authorization": f"Basic {token}", "content-type": "application/json"}

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.base_url}/api/{path}", data=data, headers=self.headers, method=method
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()

    def wait_until_up(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.request("GET", "overview")
                return
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(2)

    def declare_user(self, vhost: str, name: str, password: str, granted: Permissions) -> None:
        v, u = urllib.parse.quote(vhost, safe=""), urllib.parse.quote(name, safe="")
        self.request("PUT", f"users/{u}", {"password": password, "tags": ""})
        self.request(
            "PUT",
            f"permissions/{v}/{u}",
            {"configure": granted.configure, "write": granted.write, "read": granted.read},
        )
        for exchange in granted.topic_exchanges:
            self.request(
                "PUT",
                f"topic-permissions/{v}/{u}",
                {"exchange": exchange, "write": granted.topic_write, "read": granted.topic_read},
            )

    def unbind_earlier_stream(self, vhost: str) -> None:
        """Releases before the public exchange bound the stream to the services' exchange,
        personal data included: that binding goes."""
        v = urllib.parse.quote(vhost, safe="")
        exchange, stream = urllib.parse.quote(EXCHANGE), urllib.parse.quote(f"{EXCHANGE}.stream")
        routing = urllib.parse.quote("partyorg.#", safe="")
        try:
            self.request("DELETE", f"bindings/{v}/e/{exchange}/q/{stream}/{routing}")
        except urllib.error.HTTPError as absent:
            if absent.code != 404:
                raise


def main() -> int:
    api = ManagementApi(
        os.environ.get("RABBITMQ_API", "http://rabbitmq:15672"),
        os.environ.get("RABBITMQ_ADMIN_USER", "admin"),
        os.environ["RABBITMQ_ADMIN_PASSWORD"],
    )
    api.wait_until_up()
    definitions = Path(os.environ.get("RABBITMQ_DEFINITIONS", "/definitions.json"))
    api.request("POST", "definitions", json.loads(definitions.read_text()))
    api.unbind_earlier_stream("/")
    for service in SERVICES:
        password = os.environ[f"{service.upper()}_AMQP_PASSWORD"]
        api.declare_user("/", service, password, permissions(service))
        print(f"rabbitmq user {service} ready")
    password = os.environ["CITY_STREAM_AMQP_PASSWORD"]
    api.declare_user("/", CITY_STREAM_USER, password, stream_reader_permissions())
    print(f"rabbitmq user {CITY_STREAM_USER} ready: reads {EXCHANGE}.stream only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
