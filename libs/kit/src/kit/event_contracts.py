"""Every event published while the tests run, checked against its asyncapi.yaml.

The test session sets PARTYORG_EVENT_CHECK to a file and PARTYORG_EVENT_CONTRACTS to the
AsyncAPI documents (the repository's services/*/asyncapi.yaml, `:`-separated); the services'
processes inherit both. The bus (kit.bus) then checks each event it publishes, as it goes on
the wire, against the message of the channel whose address is the event's type, in the
document of the service that owns the type (`partyorg.<service>.…`): JSON Schema — types,
enums, required fields, no field the schema does not name. It appends to the file the first
event of each type it checked and every violation, one JSON line each; the session fails on
any violation (the root conftest.py). An event of a type no document publishes is a violation
too, but for `partyorg.test.…`, the kit's own tests' made-up types.

Test support only: jsonschema and PyYAML are development dependencies.
"""

import json
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT7

EVENT_CHECK = "PARTYORG_EVENT_CHECK"
EVENT_CONTRACTS = "PARTYORG_EVENT_CONTRACTS"
TEST_TYPES = "partyorg.test."


@dataclass(frozen=True)
class Violation:
    type: str
    source: str  # /partyorg/<service>, or /partyorg/tests for an event a test delivers
    id: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source} {self.id}"
        return f"{self.type} from {where}: at {self.path or '(event)'}: {self.message}"


class EventContracts:
    """The published messages of some AsyncAPI documents, by event type."""

    def __init__(self, documents: Iterable[Path]) -> None:
        self.validators: dict[str, Draft7Validator] = {}
        registry: Registry[Any] = Registry()
        owned: list[tuple[str, str]] = []  # (type, the payload's URI)
        for path in documents:
            document = yaml.safe_load(path.read_text())
            service = path.parent.name
            uri = f"urn:partyorg:asyncapi:{service}"
            registry = registry.with_resource(uri, DRAFT7.create_resource(document))
            for name, channel in document["channels"].items():
                if not channel["address"].startswith(f"partyorg.{service}."):
                    continue  # another service's event, as this one reads it
                owned.append((channel["address"], message_payload(uri, document, name)))
        for event_type, payload in owned:
            self.validators[event_type] = Draft7Validator(
                {"$ref": payload}, registry=registry, format_checker=FormatChecker()
            )

    @classmethod
    def of_repository(cls, root: Path) -> "EventContracts":
        return cls(sorted(root.glob("services/*/asyncapi.yaml")))

    def violations(self, event: dict[str, Any]) -> Iterator[Violation]:
        event_type, event_id = str(event.get("type")), str(event.get("id"))
        source = str(event.get("source"))
        validator = self.validators.get(event_type)
        if validator is None:
            if not event_type.startswith(TEST_TYPES):
                unknown = "no asyncapi.yaml publishes this type"
                yield Violation(event_type, source, event_id, "", unknown)
            return
        for error in validator.iter_errors(event):
            path = ".".join(str(step) for step in error.absolute_path)
            yield Violation(event_type, source, event_id, path, error.message[:300])


def personal_data(path: Path) -> dict[str, set[str]]:
    """Of each event type the document's service publishes, the fields of its data marked
    `x-personal: true`, as paths into its objects ("decision.signer"): what the service's
    PERSONAL_DATA must name (kit.public_stream)."""
    document = yaml.safe_load(path.read_text())
    service = path.parent.name

    def resolved(schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            node: Any = document
            for step in str(schema["$ref"]).removeprefix("#/").split("/"):
                node = node[step]
            schema = node
        return schema

    def marked(schema: dict[str, Any], prefix: str) -> Iterator[str]:
        schema = resolved(schema)
        if "items" in schema:
            yield from marked(schema["items"], prefix)
        for alternative in schema.get("oneOf", []):
            yield from marked(alternative, prefix)
        for name, field in schema.get("properties", {}).items():
            if resolved(field).get("x-personal"):
                yield prefix + name
            else:
                yield from marked(field, f"{prefix}{name}.")

    found: dict[str, set[str]] = {}
    for channel in document["channels"].values():
        if not channel["address"].startswith(f"partyorg.{service}."):
            continue
        [message] = channel["messages"].values()
        payload = resolved(resolved(message)["payload"])
        fields = set(marked(payload["properties"]["data"], ""))
        if fields:
            found[channel["address"]] = fields
    return found


def message_payload(uri: str, document: dict[str, Any], channel: str) -> str:
    [message] = document["channels"][channel]["messages"].values()
    reference = str(message["$ref"])  # '#/components/messages/MemberRegistered'
    return f"{uri}{reference}/payload"


class EventCheck:
    """What a process's bus does with PARTYORG_EVENT_CHECK set: check each event it publishes
    and record the first of each type and every violation."""

    def __init__(self, file: Path, contracts: EventContracts, service: str) -> None:
        self.file = file
        self.contracts = contracts
        self.service = service
        self.checked: set[str] = set()
        self._lock = threading.Lock()

    @classmethod
    def from_environment(cls, service: str) -> "EventCheck | None":
        file, documents = os.environ.get(EVENT_CHECK), os.environ.get(EVENT_CONTRACTS)
        if not file or not documents:
            return None
        paths = [Path(path) for path in documents.split(os.pathsep) if path]
        return cls(Path(file), EventContracts(paths), service)

    def check(self, wire: bytes) -> None:
        event = json.loads(wire)
        records = [
            {"service": self.service, "violation": violation.__dict__}
            for violation in self.contracts.violations(event)
        ]
        event_type = str(event.get("type"))
        if event_type in self.contracts.validators and event_type not in self.checked:
            self.checked.add(event_type)
            records.append({"service": self.service, "checked": event_type})
        if records:
            with self._lock, self.file.open("a") as log:
                log.writelines(json.dumps(record) + "\n" for record in records)


def read_check(file: Path) -> tuple[set[str], list[Violation]]:
    """The types checked, and the violations, that the file records."""
    checked: set[str] = set()
    violations: list[Violation] = []
    if not file.exists():
        return checked, violations
    for line in file.read_text().splitlines():
        record = json.loads(line)
        if "checked" in record:
            checked.add(record["checked"])
        else:
            violations.append(Violation(**record["violation"]))
    return checked, violations
