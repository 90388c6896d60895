"""What every answer of the gateway must be, whatever was sent: no 5xx, no internal error, no
Python exception text or stack trace; and the tally of what was sent and how it was answered
(printed as a table at the end of the run)."""

import builtins
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

INTERNAL = "INTERNAL_SERVER_ERROR"
# what a client may be told: its own mistakes, refusals, and a part of the suite unavailable
CODES = {
    "BAD_REQUEST",
    "BAD_USER_INPUT",
    "CONFLICT",
    "FORBIDDEN",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "INVALID_GRAPHQL",
    "INVALID_TRANSITION",
    "NOT_FOUND",
    "OPERATION_LIMIT_EXCEEDED",
    "PERSISTED_QUERY_NOT_FOUND",
    "PERSISTED_QUERY_NOT_SUPPORTED",
    "POLICY_VIOLATION",
    "SERVICE_UNAVAILABLE",
    "UNAUTHENTICATED",
}

_EXCEPTIONS = sorted(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException) and name.endswith("Error")
)
_LIBRARY_ERRORS = [
    "ValidationError",  # pydantic
    "DuplicateKeyError",
    "OperationFailure",
    "ServerSelectionTimeoutError",
    "JSONDecodeError",
    "DecodeError",  # PyJWT
    "InvalidTokenError",
    "GraphQLError",
]
LEAK = re.compile(
    r"Traceback \(most recent call last\)"
    r'|File "[^"]*", line \d+'
    r"|\.py\", line"
    r"|NoneType"
    r"|object has no attribute"
    r"|(?:positional|keyword) argument"
    r"|object is not (?:subscriptable|iterable|callable)"
    r"|\b(?:pymongo|bson|strawberry|pydantic|aio_pika|graphql\.error|orjson)\b"
    rf"|\b(?:{'|'.join(_EXCEPTIONS + _LIBRARY_ERRORS)})\b"
)


@dataclass(frozen=True)
class Answer:
    status: int
    text: str
    body: Any

    @classmethod
    def of(cls, response: httpx.Response) -> "Answer":
        try:
            body = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            body = None
        return cls(response.status_code, response.text, body)

    @property
    def errors(self) -> list[dict[str, Any]]:
        if not isinstance(self.body, dict) or not isinstance(self.body.get("errors"), list):
            return []
        return [e for e in self.body["errors"] if isinstance(e, dict)]

    @property
    def codes(self) -> list[str]:
        return sorted({str((e.get("extensions") or {}).get("code", "-")) for e in self.errors})

    @property
    def has_data(self) -> bool:
        return isinstance(self.body, dict) and bool(self.body.get("data"))

    def outcome(self) -> str:
        """How it was answered, as the table shows it: the status and the errors' codes."""
        return f"{self.status} {'+'.join(self.codes) or ('data' if self.has_data else '-')}"

    def faults(self, sent: str = "") -> list[str]:
        """What is wrong with this answer, whatever the request (`sent`: what internal-looking
        text the request itself holds, echoed back in a message, is no leak): nothing, for a
        good one."""
        found = []
        if self.status >= 500:
            found.append(f"HTTP {self.status}")
        if INTERNAL in self.codes:
            found.append(INTERNAL)
        found += [f"unknown code {code}" for code in set(self.codes) - CODES - {INTERNAL}]
        for error in self.errors:
            extensions = error.get("extensions") or {}
            if {"exception", "stacktrace", "traceback", "errmsg", "codeName"} & set(extensions):
                found.append(f"internals in extensions: {sorted(extensions)}")
        leak = next((m for m in LEAK.finditer(self.text) if m.group() not in sent), None)
        if leak:
            start = max(leak.start() - 80, 0)
            found.append(f"internal text {leak.group()!r}: …{self.text[start : leak.end() + 80]}…")
        return found


@dataclass
class Tally:
    """Operations sent by kind, answers by outcome, and the faults found."""

    sent: Counter[str] = field(default_factory=Counter)
    answers: Counter[tuple[str, str]] = field(default_factory=Counter)
    faults: list[tuple[str, str, str]] = field(default_factory=list)

    def record(self, kind: str, request: str, answer: Answer) -> list[str]:
        self.sent[kind] += 1
        self.answers[kind, answer.outcome()] += 1
        found = answer.faults(request)
        self.faults += [(kind, request[:300], fault) for fault in found]
        return found

    def table(self) -> list[str]:
        lines = [
            "| kind | sent | answers (status codes: count) | 5xx | faults |",
            "|---|---|---|---|---|",
        ]
        for kind, sent in sorted(self.sent.items()):
            outcomes = sorted(
                ((outcome, count) for (k, outcome), count in self.answers.items() if k == kind),
                key=lambda pair: -pair[1],
            )
            shown = ", ".join(f"{outcome}: {count}" for outcome, count in outcomes)
            server = sum(c for o, c in outcomes if o.startswith("5"))
            faults = sum(1 for k, _, _ in self.faults if k == kind)
            lines.append(f"| {kind} | {sent} | {shown} | {server} | {faults} |")
        lines.append(f"| all | {sum(self.sent.values())} | | | {len(self.faults)} |")
        return lines


TALLY = Tally()
