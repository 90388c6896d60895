"""A benchmark of this checkout against another's, alternated in one run.

`alternate` runs the same bench script in `before`'s `.venv` (its code) and in this one's, in
turn (before, after, then after, before, …) so that the machine's load falls on both alike;
each run writes what it measured as JSON to the file its `--answer` names.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any


def alternate(before: Path, script: str, arguments: list[str], rounds: int) -> dict[str, list[Any]]:
    """Each side's answers, by "before" and "after", a round each."""
    pythons = {"before": str(before / ".venv" / "bin" / "python"), "after": sys.executable}
    answers: dict[str, list[Any]] = {"before": [], "after": []}
    for turn in range(rounds):
        for label in ("before", "after") if turn % 2 == 0 else ("after", "before"):
            answer = Path(tempfile.mkstemp(suffix=".json")[1])
            print(f"\n== round {turn + 1}, {label} ({pythons[label]}); {load()}", flush=True)
            child = [pythons[label], script, *arguments, "--answer", str(answer)]
            subprocess.run(child, check=True)
            answers[label].append(json.loads(answer.read_text()))
            answer.unlink()
    return answers


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())
