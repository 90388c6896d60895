"""After the fuzzing (this file's name sorts last in tests/fuzz): no process logged an error —
an internal error masked in an answer still leaves one (the store too slow, a warning, is no
error) — and no log holds a card number, citizen ID or birth date of anyone in the members
database (the e2e run's log scan)."""

from infra.local.logged_errors import logged_errors
from infra.local.suite import Suite
from tests.e2e.security_logscan import Searched, application_logs, scan, values_in_databases
from tests.fuzz.traffic import TALLY


def test_no_process_logged_an_error_while_fuzzed(suite: Suite) -> None:
    assert sum(TALLY.sent.values()) >= 100, "the fuzzing did not run"
    errors = logged_errors(application_logs(suite))
    assert errors == [], "\n".join(errors[:10])


def test_no_personal_value_in_any_log_after_the_fuzzing(suite: Suite) -> None:
    cards, births = values_in_databases(suite)
    assert len(cards) >= 20 and len(births) >= 20, "the world was not made"
    hits = scan(application_logs(suite), Searched.of(cards, births))
    assert hits == [], f"{len(hits)} card numbers or birth dates in the logs: {hits[:20]}"
