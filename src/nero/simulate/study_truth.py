"""``truth.json`` of the synthetic study: what the generator planted, for the tests and the audit.

:func:`build_truth` assembles it from the simulated waves, interviews and DGP checks;
floats are rounded to 6 decimals so the file's bytes do not depend on the last bits
of a computation. It is never an input of the pipeline.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from nero import __version__
from nero.simulate.codebook import item_column
from nero.simulate.dgp import item_loadings
from nero.simulate.dgp_parameters import DGPParameters
from nero.simulate.interviews import Interview, interview_truth
from nero.simulate.survey import WaveResult
from nero.simulate.survey_instrument import CLEANING_RULES, wave_window

#: Thresholds the cleaning stage applies by default (the planted problems are designed around them).
CLEANING_THRESHOLDS = {"speeder_share": 0.4, "straightline_run": 15, "straightline_sd": 0.25}

#: What the planted process implies for the later stages (written to ``truth.json``).
EXPECTED_EFFECTS = {
    "indirect_ambidexterity_via_CAP_on_SCO": "positive",
    "moderation_CAPxMKT_on_SCO": "positive",
    "marker": "unrelated to the constructs; shares only the common-method factor (loading method_loading on every item)",
    "early_vs_late_respondents": "no difference by design (response time independent of the latents)",
    "measurement_invariance_across_waves": "scalar invariance holds by design (same loadings and intercepts in every wave)",
}


def _round_floats(value: Any, digits: int = 6) -> Any:
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: _round_floats(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round_floats(v, digits) for v in value]
    return value


def build_truth(
    seed: int,
    n_firms: int,
    codebook: dict[str, Any],
    params: DGPParameters,
    results: list[WaveResult],
    files: dict[str, str],
    interviews: list[Interview],
    checks: dict[str, Any],
    scenario: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble ``truth.json`` (with a ``scenario`` entry when ``scenario`` is given)."""
    waves = [r.wave for r in results]
    truth = _round_floats(
        {
            "synthetic": True,
            "note": "Ground truth of the SYNTHETIC stand-in study; not an input of the pipeline.",
            "generator": {"module": "nero.simulate", "version": __version__},
            "seed": seed,
            "n_firms": n_firms,
            "waves": waves,
            "calibration_anchors": {"exclusion": 2.5, "crossover": 4.0, "inclusion": 5.5},
            "recipes": [{"name": name, "conditions": {c: 1 for c in conds}} for name, conds in params.recipes],
            "necessary": ["CAP"],
            "expected_effects": dict(EXPECTED_EFFECTS),
            "dgp": params.to_dict(),
            "items": _items_truth(codebook, params, waves),
            "cleaning_thresholds_assumed": CLEANING_THRESHOLDS,
            "survey": {r.wave: _wave_truth(codebook, r, files[r.wave]) for r in results},
            "planted_responses_total": sum(len(r.planted) for r in results),
            "usable_total": sum(len(r.usable) for r in results),
            "dgp_checks": checks,
            **_interviews_truth(interviews),
        }
    )
    if scenario is not None:
        _apply_scenario(truth, scenario)
    return truth


def _items_truth(codebook: dict[str, Any], params: DGPParameters, waves: list[str]) -> dict[str, dict]:
    """Item -> construct, true loading, reverse wording and its column in each wave."""
    loadings = item_loadings(codebook, params)
    return {
        item: {
            "construct": spec["construct"],
            "loading": loadings[item],
            "reverse": bool(spec.get("reverse", False)),
            "column": {w: item_column(codebook, item, w) for w in waves},
        }
        for item, spec in codebook["items"].items()
    }


def _wave_truth(codebook: dict[str, Any], r: WaveResult, file: str) -> dict[str, Any]:
    """One wave's export: file, counts, planted problems per rule, field window, renamed columns, fixes."""
    start, days = wave_window(r.wave)
    counts = {rule: sum(1 for p in r.planted if p["rule"] == rule) for rule in CLEANING_RULES}
    return {
        "file": file,
        "rows": len(r.rows),
        "usable": len(r.usable),
        "planted": counts,
        "fielded": [start.date().isoformat(), (start + pd.Timedelta(days=days)).date().isoformat()],
        "renamed_columns": {
            item: item_column(codebook, item, r.wave)
            for item, spec in codebook["items"].items()
            if item_column(codebook, item, r.wave) != spec["id"]
        },
        "value_fixes": r.value_fixes,
        "item_nonresponse": r.item_nonresponse,
    }


def _interviews_truth(interviews: list[Interview]) -> dict[str, Any]:
    """The Study 1 entries: each interview's planted coding, the coders, double coding, pseudonyms."""
    return {
        "interviews": [interview_truth(i) for i in interviews],
        "interview_coders": {
            "coder-a": "codes every interview; codings equal the planted segments",
            "coder-b": "double-codes a subset: about 70 % identical, 12 % shifted boundaries, 9 % neighbouring code, 9 % missed, plus 1-3 extra codings of uncoded sentences per interview",  # noqa: E501
        },
        "double_coded": [i.document for i in interviews if "coder-b" in i.codings],
        "pseudonyms": {
            "firms": [i.case_name for i in interviews],
            "respondents": {i.respondent: f"{i.role}, {i.firm}" for i in interviews},
            "third_parties": ["José (distributor, Mexico)", "Zoë (agency officer)", "Ms Nguyễn (partner, Vietnam)"],
            "survey_recipients": "RecipientFirstName/LastName/Email, IPAddress (203.0.113.0/24, 198.51.100.0/24), ExternalReference and locations are invented; e-mails use example.com",  # noqa: E501
        },
    }


def _apply_scenario(truth: dict[str, Any], scenario: dict[str, Any]) -> None:
    """A non-shipped process (nero.simulate.scenarios): what it plants replaces the planted truth."""
    truth["scenario"] = _round_floats(scenario)
    truth["recipes"] = [{"name": n, "conditions": {c: 1 for c in conds}} for n, conds in scenario["recipes"].items()]
    truth["necessary"] = list(scenario["necessary"])


__all__ = ["CLEANING_THRESHOLDS", "EXPECTED_EFFECTS", "build_truth"]
