from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest
from evaluations.domain import DomainError, Period, Rating
from evaluations.domain.policy import Policy, PolicyOptions, rating_for_score
from evaluations.domain.rules import Basis, PolicyFacts

YEAR_2019 = Period(2019)
OCTOBER_2019 = Period(2019, 10)
YEAR_2025 = Period(2025)


def facts(
    period: Period = YEAR_2019,
    rating: Rating | None = Rating.GOOD,
    score: int | None = None,
    cadre: bool = True,
    workplace: Rating | None = Rating.GOOD,
    excellent: int = 0,
    good: int = 0,
) -> PolicyFacts:
    return PolicyFacts(period, rating, score, cadre, workplace, excellent, good)


def rules(found: list) -> set[str]:  # type: ignore[type-arg]
    return {finding.rule for finding in found}


def test_the_2019_set_is_in_force_until_124_qd_tw_of_4_october_2023() -> None:
    policy = Policy()
    assert "21-HD/BTCTW" in policy.rule_set_for(YEAR_2019).name
    assert "21-HD/BTCTW" in policy.rule_set_for(Period(2023, 9)).name
    assert "124-QĐ/TW" in policy.rule_set_for(Period(2023, 10)).name
    assert policy.rule_set_for(Period(2023, 10)).effective_from == date(2023, 10, 4)


def test_124_qd_tw_ranks_until_366_qd_tw_of_30_august_2025_and_its_findings_name_it() -> None:
    policy = Policy()
    for period in (Period(2024), Period(2025, 6), Period(2025, 7)):
        assert policy.rule_set_for(period).name == "124-QĐ/TW (2023)", period
    found = policy.findings(facts(Period(2025, 7), Rating.EXCELLENT, workplace=Rating.GOOD))
    assert found and all(finding.source.startswith("124-QĐ/TW") for finding in found)


def test_the_2025_set_is_in_force_from_its_date_30_august_2025() -> None:
    policy = Policy()
    assert "366-QĐ/TW" in policy.rule_set_for(Period(2025, 8)).name  # reviewed on 31/8
    assert "366-QĐ/TW" in policy.rule_set_for(Period(2025, 9)).name
    assert "366-QĐ/TW" in policy.rule_set_for(YEAR_2025).name
    assert policy.rule_set_for(YEAR_2025).effective_from == date(2025, 8, 30)


def test_no_rule_set_covers_periods_before_2018() -> None:
    with pytest.raises(DomainError):
        Policy().rule_set_for(Period(2010))


def test_every_finding_names_its_source() -> None:
    found = Policy().findings(facts(rating=Rating.EXCELLENT, workplace=Rating.GOOD, good=0))
    assert found
    assert all(finding.source for finding in found)


def test_a_cadre_ranked_excellent_with_a_good_workplace_rank_breaks_21_hd_btctw() -> None:
    found = Policy().findings(facts(rating=Rating.EXCELLENT, workplace=Rating.GOOD, good=10))
    cadre = next(f for f in found if f.rule == "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT")
    assert cadre.source == "21-HD/BTCTW"
    assert cadre.blocking
    assert cadre.basis is Basis.CONFIRMED


def test_a_cadre_ranked_excellent_without_a_workplace_rank_is_blocked_too() -> None:
    found = Policy().findings(facts(rating=Rating.EXCELLENT, workplace=None, good=10))
    assert "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT" in rules(found)


def test_a_cadre_excellent_at_work_may_be_ranked_excellent() -> None:
    found = Policy().findings(facts(rating=Rating.EXCELLENT, workplace=Rating.EXCELLENT, good=10))
    assert found == []


def test_a_member_who_is_not_a_cadre_may_be_excellent_without_workplace_results() -> None:
    found = Policy().findings(facts(rating=Rating.EXCELLENT, cadre=False, workplace=None, good=5))
    assert found == []


def test_the_cell_rank_may_not_be_above_the_workplace_rank_a_derived_configurable_rule() -> None:
    found = Policy().findings(facts(rating=Rating.GOOD, workplace=Rating.COMPLETED))
    derived = next(f for f in found if f.rule == "NOT_ABOVE_WORKPLACE_RANK")
    assert derived.basis is Basis.DERIVED
    assert "derived" in derived.source
    assert derived.blocking


def test_the_derived_rule_can_be_switched_off() -> None:
    policy = Policy(PolicyOptions(not_above_workplace_rank=False))
    assert policy.findings(facts(rating=Rating.GOOD, workplace=Rating.COMPLETED)) == []


def test_a_rank_equal_to_or_below_the_workplace_rank_is_fine() -> None:
    assert Policy().findings(facts(rating=Rating.GOOD, workplace=Rating.GOOD)) == []
    assert Policy().findings(facts(rating=Rating.COMPLETED, workplace=Rating.GOOD)) == []


@pytest.mark.parametrize(
    ("excellent", "good", "refused"),
    [
        (0, 10, False),
        (1, 10, False),
        (2, 10, True),
        (0, 4, True),
        (0, 5, False),
        (3, 15, True),
        (2, 15, False),
    ],
)
def test_excellent_may_not_exceed_20_percent_of_good_within_the_ward(
    excellent: int, good: int, refused: bool
) -> None:
    found = Policy().findings(
        facts(rating=Rating.EXCELLENT, workplace=Rating.EXCELLENT, excellent=excellent, good=good)
    )
    assert ("EXCELLENT_QUOTA" in rules(found)) is refused


def test_the_quota_finding_explains_the_count() -> None:
    found = Policy().findings(
        facts(rating=Rating.EXCELLENT, workplace=Rating.EXCELLENT, excellent=2, good=10)
    )
    quota = next(f for f in found if f.rule == "EXCELLENT_QUOTA")
    assert quota.source == "21-HD/BTCTW"
    assert "at most 2" in quota.message
    assert quota.blocking


def test_the_quota_applies_to_the_year_end_ranking_not_to_monthly_ones() -> None:
    found = Policy().findings(
        facts(period=OCTOBER_2019, rating=Rating.EXCELLENT, workplace=Rating.EXCELLENT, good=0)
    )
    assert found == []


def test_the_quota_share_is_configurable() -> None:
    policy = Policy(PolicyOptions(excellent_share=Fraction(1, 2)))
    found = policy.findings(
        facts(rating=Rating.EXCELLENT, workplace=Rating.EXCELLENT, excellent=1, good=4)
    )
    assert found == []


def test_a_good_rating_is_never_held_back_by_the_quota() -> None:
    assert Policy().findings(facts(rating=Rating.GOOD, excellent=9, good=0)) == []


def test_a_ward_cadre_without_workplace_results_gets_a_non_blocking_reminder() -> None:
    found = Policy().findings(facts(rating=Rating.GOOD, workplace=None))
    reminder = next(f for f in found if f.rule == "WORKPLACE_RESULTS_EXPECTED")
    assert not reminder.blocking
    assert reminder.source == "383-CV/QU point 5"


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        (100, Rating.EXCELLENT),
        (90, Rating.EXCELLENT),
        (89, Rating.GOOD),
        (70, Rating.GOOD),
        (69, Rating.COMPLETED),
        (50, Rating.COMPLETED),
        (49, Rating.NOT_COMPLETED),
        (0, Rating.NOT_COMPLETED),
    ],
)
def test_the_366_qd_tw_thresholds_on_the_100_point_scale(score: int, rating: Rating) -> None:
    assert rating_for_score(score) is rating
    assert Policy().findings(facts(YEAR_2025, rating, score, cadre=False, good=10)) == []


def test_a_rating_that_does_not_match_its_score_breaks_366_qd_tw() -> None:
    found = Policy().findings(facts(YEAR_2025, Rating.EXCELLENT, 85, cadre=False, workplace=None))
    thresholds = next(f for f in found if f.rule == "SCORE_THRESHOLDS")
    assert thresholds.source == "366-QĐ/TW"
    assert "ranks GOOD" in thresholds.message
    assert thresholds.blocking


def test_the_2025_set_needs_a_score() -> None:
    found = Policy().findings(facts(YEAR_2025, Rating.GOOD, None, cadre=False, workplace=None))
    assert rules(found) == {"SCORE_THRESHOLDS"}


def test_the_2019_set_does_not_look_at_scores() -> None:
    assert not Policy().rule_set_for(YEAR_2019).uses_score
    assert Policy().findings(facts(rating=Rating.GOOD, score=10)) == []


def test_the_2025_set_keeps_the_quota_as_unconfirmed_by_default() -> None:
    found = Policy().findings(facts(YEAR_2025, Rating.EXCELLENT, 95, cadre=False, good=0))
    quota = next(f for f in found if f.rule == "EXCELLENT_QUOTA")
    assert quota.basis is Basis.UNCONFIRMED
    assert "unconfirmed" in quota.source


def test_the_2025_quota_can_be_switched_off() -> None:
    policy = Policy(PolicyOptions(excellent_quota_2025=False))
    assert policy.findings(facts(YEAR_2025, Rating.EXCELLENT, 95, cadre=False, good=0)) == []
    assert "EXCELLENT_QUOTA" in rules(
        Policy(PolicyOptions(excellent_quota_2025=False)).findings(
            facts(rating=Rating.EXCELLENT, workplace=Rating.EXCELLENT, good=0)
        )
    )


def test_no_rating_yet_means_no_findings_but_the_reminder() -> None:
    assert rules(Policy().findings(facts(rating=None, workplace=None))) == {
        "WORKPLACE_RESULTS_EXPECTED"
    }


def test_a_public_employee_is_ranked_excellent_only_if_excellent_at_work_under_21_hd() -> None:
    excellent = facts(YEAR_2019, Rating.EXCELLENT, cadre=False, workplace=Rating.GOOD)
    public_employee = replace(excellent, workplace_role="PUBLIC_EMPLOYEE")
    assert "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT" in rules(Policy().findings(public_employee))
    other = replace(excellent, workplace_role="OTHER")
    assert "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT" not in rules(Policy().findings(other))
    at_work = replace(public_employee, workplace_rating=Rating.EXCELLENT)
    assert "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT" not in rules(Policy().findings(at_work))
