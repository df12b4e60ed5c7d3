"""The SME Playbook: one card per configuration, read off the results."""

import re

import pandas as pd

from nero.manuscript.playbook import playbook_cards, playbook_page

CHART = pd.DataFrame({
    "condition": ["INST", "VIRT", "EFF", "inclS", "PRI", "covS", "covU"],
    "INST*EFF": ["core present", "", "peripheral present", 0.86, 0.77, 0.38, 0.12],
    "VIRT*~EFF": ["", "core present", "core absent", 0.93, 0.9, 0.49, 0.16],
})
SOLUTIONS = pd.DataFrame({"solution": ["intermediate", "intermediate"], "term": ["INST*EFF", "VIRT*~EFF"],
                          "cases": ["SG-1,SG-2; SG-3", "SG-9"]})
ROBUST = pd.DataFrame({"configuration": ["INST*EFF"], "verdict": ["robust: survives 97%"]})
JOINT = pd.DataFrame({"archetype": ["Institutional Optimizer", "Strategic Explorer"], "configuration": ["INST*EFF", None],
                      "study1_cases": [4, 3], "exemplar_quote": ["We use grants.", "We go abroad."], "quote_case": ["Firm B", "Firm A"]})


def test_cards_follow_the_configurations_and_name_unmatched_strategies():
    cards = playbook_cards(CHART, SOLUTIONS, ROBUST, JOINT, {"INST": "Institutional", "VIRT": "Virtual", "EFF": "Efficiency"})
    assert [c.title for c in cards] == ["Institutional Optimizer", "Configuration VIRT*~EFF", "Strategic Explorer"]
    first, second, third = cards
    assert first.present == ["Institutional (INST) - core", "Efficiency (EFF) - peripheral"] and first.irrelevant == ["Virtual (VIRT)"]
    assert first.consistency == 0.86 and first.typical_cases == ["SG-1", "SG-2", "SG-3"] and first.robustness.startswith("robust")
    assert first.quote == "We use grants." and first.study1_cases == 4
    assert second.absent == ["Efficiency (EFF) - core"] and second.robustness == "not assessed" and not second.matched
    assert not third.matched and third.configuration == ""
    page = playbook_page(cards)
    assert len(re.findall(r"class=\"card( unmatched)?\"", page)) == 3 and "Consistency .860" in page and "http:" not in page and "https:" not in page
