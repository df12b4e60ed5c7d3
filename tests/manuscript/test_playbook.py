"""The SME Playbook: recipes in plain words, counted cases, a self-diagnosis, no firm identifiers."""

import math
import re

import pandas as pd
import pytest

from nero.manuscript.playbook import (
    caveats_html,
    diagnosis_html,
    failure_recipes,
    playbook_cards,
    playbook_page,
    playbook_sections,
    policy_html,
    self_diagnosis,
)

CHART = pd.DataFrame(
    {
        "condition": ["INST", "VIRT", "EFF", "CAP", "inclS", "PRI", "covS", "covU"],
        "INST*EFF*CAP": ["core present", "", "peripheral present", "core present", 0.86, 0.77, 0.38, 0.12],
        "VIRT*~EFF*CAP": ["", "core present", "core absent", "core present", 0.93, 0.9, 0.49, 0.16],
    }
)
SOLUTIONS = pd.DataFrame(
    {
        "outcome": ["SCO", "SCO", "~SCO", "~SCO", "~SCO", "~SCO"],
        "solution": ["intermediate"] * 6,
        "model": ["M1", "M1", "M1", "M1", "M2", "M2"],
        "term": ["INST*EFF*CAP", "VIRT*~EFF*CAP", "~INST*~CAP", "~VIRT*~EFF", "~INST*~CAP", "INST*VIRT"],
    }
)
ROBUST = pd.DataFrame({"configuration": ["INST*EFF*CAP"], "survival_all": [0.944], "verdict": ["robust"]})
JOINT = pd.DataFrame(
    {"archetype": ["Institutional Optimizer", "Strategic Explorer"], "configuration": ["INST*EFF*CAP", None]}
)
QUOTES = pd.DataFrame(
    {
        "archetype": ["Institutional Optimizer", "Strategic Explorer"],
        "case": ["Firm B (Medical devices distribution)", "Firm A (Water treatment)"],
        "text": ["We use grants.", "We go abroad."],
    }
)
PLAIN = {"INST": "institutional ties", "VIRT": "platforms", "EFF": "efficiency", "CAP": "capacity at home"}
# firms: A, B follow INST*EFF*CAP; A scaled out (typical), B did not (deviant); C follows VIRT*~EFF*CAP and scaled out
MEMBERS = pd.DataFrame(
    {
        "firm_code": ["SG-A", "SG-B", "SG-C", "SG-D"],
        "INST": [0.9, 0.8, 0.1, 0.2],
        "VIRT": [0.1, 0.2, 0.9, 0.3],
        "EFF": [0.7, 0.9, 0.2, 0.4],
        "CAP": [0.8, 0.6, 0.7, 0.2],
        "SCO": [0.9, 0.3, 0.8, 0.1],
    }
)


@pytest.fixture()
def cards():
    return playbook_cards(
        CHART,
        SOLUTIONS,
        ROBUST,
        JOINT,
        MEMBERS,
        QUOTES,
        PLAIN,
        {"Table 49 (Configuration chart)": "report.html#table-49"},
    )


def test_cards_order_steps_count_cases_and_name_unmatched_strategies(cards):
    assert [c.title for c in cards] == [
        "A recipe no interviewed firm followed",
        "Institutional Optimizer",
        "Strategic Explorer",
    ]  # by raw coverage
    virt, inst, unmatched = cards
    assert inst.build == [
        "capacity at home",
        "institutional ties",
        "efficiency",
    ]  # shared first, then core, then peripheral
    assert inst.first == ["capacity at home"] and inst.either == ["platforms"]
    assert (inst.members, inst.scaled_out, inst.typical, inst.deviant) == (2, 1, 1, 1)
    assert (virt.members, virt.typical) == (1, 1) and virt.avoid[
        0
    ] == "efficiency (firms on this recipe scaled out without it)"
    # the failure recipe common to both ~SCO models (~INST*~CAP) touches what both recipes build
    assert failure_recipes(SOLUTIONS, "SCO") == ["~INST*~CAP"]
    assert (
        "having neither institutional ties nor capacity at home: firms in this position did not scale out" in inst.avoid
    )
    assert inst.robustness.startswith("The recipe held in 94 of every 100")
    assert inst.quote == "We use grants." and inst.quote_from == "an interviewed medical devices distribution firm"
    assert not unmatched.matched and unmatched.configuration == ""


def test_page_has_no_firm_identifier_and_links_every_card_to_evidence(cards):
    codebook = {
        "constructs": {k: {"items": [f"{k}1"]} for k in PLAIN},
        "items": {f"{k}1": {"text": f"We have {v} <b>."} for k, v in PLAIN.items()},
    }
    anchors = pd.DataFrame({"set": list(PLAIN), "exclusion": 2.5, "crossover": 4.0, "inclusion": 5.5})
    claims = pd.DataFrame(
        {"statement": ["Two routes <x>", "Fine"], "verdict": ["inconclusive", "supported"], "flags": [None, None]}
    )
    page = playbook_page(
        cards,
        diagnosis=diagnosis_html(codebook, anchors, list(PLAIN), PLAIN),
        policy=policy_html(cards, PLAIN, list(PLAIN)),
        caveats=caveats_html(claims),
    )
    assert not re.search(r"SG-[A-Z0-9]|Firm [A-Z]\b", page)
    assert page.count('href="report.html#table-49"') == 3 and "http:" not in page and "https:" not in page
    assert "&lt;b&gt;" in page and "&lt;x&gt;" in page and "<b>" not in page  # data escaped
    assert "Every recipe builds capacity at home" in page and "2 different recipes" in page
    assert "Two routes" in page and "Fine" not in page.split("Caveats")[1]


def test_report_annex_carries_all_four_parts_not_the_cards_alone(cards):
    """Annex E of the report (results/manuscript/playbook_annex.html) is the Playbook's body under the annex heading."""
    codebook = {
        "constructs": {k: {"items": [f"{k}1"]} for k in PLAIN},
        "items": {f"{k}1": {"text": f"We have {v}."} for k, v in PLAIN.items()},
    }
    anchors = pd.DataFrame({"set": list(PLAIN), "exclusion": 2.5, "crossover": 4.0, "inclusion": 5.5})
    claims = pd.DataFrame({"statement": ["Two routes"], "verdict": ["inconclusive"], "flags": [None]})
    parts = {
        "diagnosis": diagnosis_html(codebook, anchors, list(PLAIN), PLAIN),
        "policy": policy_html(cards, PLAIN, list(PLAIN)),
        "caveats": caveats_html(claims),
    }
    annex = playbook_sections(cards, **parts, level=3)
    heads = re.findall(r"<h3>(.*?)</h3>", annex)
    assert heads == ["For owners and managers: which recipe fits you?", "Recipes", "For policymakers", "Caveats"]
    assert "<h2>" not in annex and annex in playbook_page(cards, **parts).replace("<h2>", "<h3>").replace(
        "</h2>", "</h3>"
    )
    assert (
        'class="diag" data-rows="4"' in annex and 'href="report.html#table-49"' in annex
    )  # the report's self-check counts its rows
    assert (
        re.search(r'<table class="diag"[^>]*><thead>.*?</thead><tbody>(.*?)</tbody>', annex).group(1).count("<tr>") == 4
    )
    assert re.findall(r"<h3>(.*?)</h3>", playbook_sections(cards, level=3)) == ["Recipes"]  # an empty part is left out
    with pytest.raises(ValueError, match="heading level must be 1-6"):
        playbook_sections(cards, level=7)


def _ragin(score):
    """Direct calibration in closed form (Ragin, 2008): log-odds 3 at the inclusion anchor 5.5, 0 at 4, -3 at 2.5."""
    return 1 / (1 + math.exp(-(score - 4) * 3 / 1.5))


def test_self_diagnosis_scores_answers_against_the_calibrated_conditions(cards, instrument):
    anchors = pd.DataFrame(
        {"set": ["INST", "VIRT", "EFF", "CAP"], "exclusion": 2.5, "crossover": 4.0, "inclusion": 5.5}
    )
    target = {"INST": 6, "VIRT": 2, "EFF": 5, "CAP": 7}
    answers = {}
    for condition, value in target.items():
        for item in instrument["constructs"][condition]["items"]:
            answers[item] = (
                8 - value if instrument["items"][item].get("reverse") else value
            )  # recoded back to the target
    result = self_diagnosis(answers, instrument, anchors, cards, ["INST", "VIRT", "EFF", "CAP"])
    inst = result.set_index("recipe").loc["Institutional Optimizer"]
    assert inst["membership"] == pytest.approx(min(_ragin(6), _ragin(5), _ragin(7)), abs=1e-9) and inst["follows"]
    virt = result.set_index("recipe").loc["A recipe no interviewed firm followed"]
    assert virt["membership"] == pytest.approx(_ragin(2), abs=1e-9) and virt["missing"] == ["VIRT", "~EFF"]
    with pytest.raises(ValueError, match="answer to INST1 is 9.0"):
        self_diagnosis({**answers, "INST1": 9}, instrument, anchors, cards, ["INST"])
    with pytest.raises(ValueError, match="INST1 of INST has no answer"):
        self_diagnosis({k: v for k, v in answers.items() if k != "INST1"}, instrument, anchors, cards, ["INST"])
