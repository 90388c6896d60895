from datetime import date

import pytest
from members.domain import CandidateStage, DomainError, InvalidTransition, Standing
from members_factories import candidate, member


def test_a_candidate_goes_through_the_stages_in_order() -> None:
    trained = candidate().advanced(CandidateStage.AWARENESS_TRAINED, date(2019, 11, 1))
    sponsored = trained.advanced(CandidateStage.SPONSORED, date(2020, 3, 1))
    assert [h.stage for h in sponsored.history] == [
        CandidateStage.SOURCE,
        CandidateStage.AWARENESS_TRAINED,
        CandidateStage.SPONSORED,
    ]


def test_a_stage_cannot_be_skipped() -> None:
    with pytest.raises(InvalidTransition, match="next stage is AWARENESS_TRAINED"):
        candidate().advanced(CandidateStage.SPONSORED, date(2020, 1, 1))


def test_a_candidate_may_withdraw_at_any_stage_before_admission() -> None:
    assert candidate().advanced(CandidateStage.WITHDRAWN, date(2020, 1, 1)).stage is (
        CandidateStage.WITHDRAWN
    )


def test_a_candidate_under_18_is_not_considered() -> None:
    young = candidate(born=date(2002, 2, 1), stage=CandidateStage.AWARENESS_TRAINED)
    with pytest.raises(DomainError, match="17 years 11 months"):
        young.advanced(CandidateStage.SPONSORED, date(2020, 1, 15))


def test_a_candidate_over_60_needs_a_higher_level_decision() -> None:
    old = candidate(born=date(1959, 6, 1), stage=CandidateStage.SPONSORED)
    with pytest.raises(DomainError, match="over 60"):
        old.admitted("m9", date(2019, 7, 1))


def test_admission_needs_sponsorship_first() -> None:
    with pytest.raises(InvalidTransition, match="once SPONSORED"):
        candidate(stage=CandidateStage.AWARENESS_TRAINED).admitted("m9", date(2020, 1, 1))


WARD, OTHER_WARD = "ward-gv", "ward-km"


def test_mentors_are_official_members_of_the_candidates_cell() -> None:
    mentored = candidate().with_mentor(member("m1"), WARD, WARD)
    assert mentored.mentor_ids == ["m1"]


def test_a_co_worker_of_another_cell_of_the_ward_may_mentor() -> None:
    mentored = candidate().with_mentor(member("m4", organisation_id="tdp1"), WARD, WARD)
    assert mentored.mentor_ids == ["m4"]


def test_a_probationary_member_cannot_mentor() -> None:
    with pytest.raises(DomainError, match="only OFFICIAL members"):
        candidate().with_mentor(member("m2", standing=Standing.PROBATIONARY), WARD, WARD)


def test_a_member_of_another_ward_cannot_mentor_and_is_not_described() -> None:
    elsewhere = member("m3", organisation_id="km-tdp1", standing=Standing.PROBATIONARY)
    with pytest.raises(DomainError, match="not a member of the candidate's grassroots") as refused:
        candidate().with_mentor(elsewhere, OTHER_WARD, WARD)
    assert "PROBATIONARY" not in str(refused.value)


def test_re_homing_keeps_the_mentors() -> None:
    mentored = candidate().with_mentor(member("m1"), WARD, WARD)
    assert mentored.rehomed("tdp7").mentor_ids == ["m1"]
