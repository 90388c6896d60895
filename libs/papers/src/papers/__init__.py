"""The papers partyorg issues, as PDF set from plain data in a typeface that sets Vietnamese:
introduction letters, dissolution decisions and hand-over records of the member-list book."""

from papers.dissolution import DissolutionDecision, Ground, render_dissolution_decision
from papers.fonts import MissingFont, typeface
from papers.hand_over import (
    HandedOverPerson,
    HandOverDecision,
    HandOverRecord,
    render_hand_over_record,
)
from papers.introduction import (
    IntroducedCandidate,
    IntroducedMember,
    IntroductionLetter,
    Move,
    render_introduction_letter,
)
from papers.page import Letterhead, Paper, Signer, dated_line

__all__ = [
    "DissolutionDecision",
    "Ground",
    "HandOverDecision",
    "HandOverRecord",
    "HandedOverPerson",
    "IntroducedCandidate",
    "IntroducedMember",
    "IntroductionLetter",
    "Letterhead",
    "MissingFont",
    "Move",
    "Paper",
    "Signer",
    "dated_line",
    "render_dissolution_decision",
    "render_hand_over_record",
    "render_introduction_letter",
    "typeface",
]
