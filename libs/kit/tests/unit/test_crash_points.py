import os
import signal
import subprocess
import sys

PASS_TWICE = (
    "from kit.crash_points import crash_point; crash_point('relay.published'); "
    "print('passed once', flush=True); crash_point('relay.published'); print('passed twice')"
)


def run(crash_at: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PARTYORG_CRASH_AT"}
    if crash_at is not None:
        env["PARTYORG_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-c", PASS_TWICE], env=env, capture_output=True, text=True, timeout=60
    )


def test_a_crash_point_does_nothing_unless_asked_for() -> None:
    assert run(None).stdout.split("\n")[:2] == ["passed once", "passed twice"]
    assert run("consumer.handled").returncode == 0


def test_the_process_is_killed_with_sigkill_at_the_point_and_pass_asked_for() -> None:
    at_first = run("relay.published")
    assert (at_first.returncode, at_first.stdout) == (-signal.SIGKILL, "")
    at_second = run("relay.published:2")
    assert (at_second.returncode, at_second.stdout) == (-signal.SIGKILL, "passed once\n")
