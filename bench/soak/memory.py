"""The resident memory of the suite's processes (the gateway's workers each) and of the store
and broker they share, sampled at named moments and shown side by side."""

from collections.abc import Callable
from pathlib import Path

from infra.local.suite import Suite

Processes = Callable[[], dict[str, int]]


def resident_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return sorted(found)


def _shared(names: dict[str, str]) -> dict[str, int]:
    """The store's and the broker's processes, by the first word of their command line."""
    found = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            program = cmdline.read_bytes().split(b"\0", 1)[0].decode(errors="replace")
        except OSError:
            continue
        for label, ending in names.items():
            if program.endswith(ending) and label not in found:
                found[label] = int(cmdline.parent.name)
    return found


def processes_of(suite: Suite) -> Processes:
    def now() -> dict[str, int]:
        pids = {name: process.pid for name, process in suite.processes.items()}
        for n, child in enumerate(_children(pids["gateway"]), 1):
            pids[f"gateway child {n}"] = child
        shared = _shared({"FerretDB (shared)": "ferretdb", "RabbitMQ (shared)": "beam.smp"})
        return pids | shared

    return now


class MemorySamples:
    def __init__(self, processes: Processes) -> None:
        self.processes = processes
        self.samples: dict[str, dict[str, int | None]] = {}

    def take(self, moment: str) -> None:
        self.samples[moment] = {label: resident_kib(pid) for label, pid in self.processes().items()}

    def print_table(self, allowed_growth: float) -> list[str]:
        """The table; the suite's processes that grew more than `allowed_growth` percent from
        the middle to the end (the shared store and broker serve others too: shown only)."""
        moments = list(self.samples)
        labels = sorted({label for sample in self.samples.values() for label in sample})
        print(f"\n{'resident memory, MiB':<24}" + "".join(f"{m:>9}" for m in moments) + "   growth")
        grown = []
        for label in labels:
            values = [self.samples[m].get(label) for m in moments]
            shown = "".join(f"{v / 1024:>9.1f}" if v else f"{'-':>9}" for v in values)
            middle, end = self.samples.get("middle", {}).get(label), values[-1]
            growth = 100 * (end - middle) / middle if middle and end else None
            print(f"{label:<24}{shown}   {'' if growth is None else f'{growth:+.1f}%'}")
            if growth is not None and growth > allowed_growth and "shared" not in label:
                grown.append(label)
        return grown
