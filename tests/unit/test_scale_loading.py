"""How bench/scale feeds the gateway: parents before children, rows as the API spells them."""

from itertools import islice

from bench.scale.hanoi import SyntheticHanoi
from bench.scale.loading import batched, batched_by_parent, member_fields, organisation_fields


def test_organisations_go_in_runs_whose_parents_came_in_earlier_runs() -> None:
    rows = list(SyntheticHanoi("district").organisations())
    created: set[str] = set()
    runs = list(batched_by_parent(rows))
    for run in runs:
        assert all(row.parent_code is None or row.parent_code in created for row in run)
        created |= {row.code for row in run}
    assert created == {row.code for row in rows}
    # the city; the first ward; each ward's cells with the next ward; the last ward's cells
    assert len(runs) == 6


def test_a_member_row_becomes_register_member_fields() -> None:
    row = next(SyntheticHanoi("ward").members())
    fields = member_fields(row)
    assert fields["cardNumber"] == row.card_number
    assert fields["dateOfBirth"] == row.date_of_birth.isoformat()
    assert fields["residence"] == {
        "address": row.address,
        "residentialGroup": row.residential_group,
    }
    assert fields["workplace"] == {"name": row.workplace_name, "role": row.workplace_role}


def test_residential_cells_carry_their_coverage_and_committees_none() -> None:
    rows = list(islice(SyntheticHanoi("ward").organisations(), 200))
    committee = organisation_fields(rows[1])
    assert committee["kind"] == "WARD_COMMITTEE" and committee["coverage"] is None
    residential = next(r for r in rows if r.cell_type == "RESIDENTIAL")
    assert organisation_fields(residential)["coverage"] == list(residential.coverage)


def test_batches_cover_every_row_once() -> None:
    assert [len(b) for b in batched(range(12), 5)] == [5, 5, 2]
