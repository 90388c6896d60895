"""The lines of a suite's logs that tell of an error: JSON lines at level error or critical, and
any line that is not one of the suite's JSON log lines (a traceback written raw, a crash)."""

import json
from collections.abc import Iterable
from pathlib import Path


def logged_errors(logs: Iterable[Path]) -> list[str]:
    errors = []
    for path in logs:
        for number, line in enumerate(path.open(encoding="utf-8", errors="replace"), 1):
            if not line.strip():
                continue
            try:
                level = json.loads(line).get("level")
            except (ValueError, AttributeError):
                level = "not a log line"
            if level in {"error", "critical", "not a log line"}:
                errors.append(f"{path.name}:{number}: {line[:500]}")
    return errors
