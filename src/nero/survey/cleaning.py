"""Cleaning: the eight exclusion rules, the outlier flag, recoding and the clean table.

The rules are applied in the order of :data:`RULES` (docs/architecture.md); the first
rule that matches drops a response, so every dropped response has exactly one rule in
the exclusion log. Each rule is a pure function ``rule(frame, ...) -> Series`` that
returns, for the responses it drops, a one-line detail (index = the frame's index).

=================  ======================================================================
rule               drops a response when
=================  ======================================================================
``preview_spam``   ``Status`` is not 0 (IP Address) or ``DistributionChannel`` is preview/test
``screening``      the screening answer is not in ``checks.screening.pass_values``
``unfinished``     ``Finished`` is 0 or ``Progress`` < 100
``duplicate``      a later submission of a ``FirmCode`` already kept (earliest ``RecordedDate``)
``attention``      the attention item differs from ``checks.attention.expected``
``speeder``        duration < ``speeder_share`` x the wave's median duration of finished responses
``straightliner``  longest run of equal answers over the battery >= ``straightline_run``, or
                   within-person SD over the battery < ``straightline_sd``
``out_of_range``   a Likert answer outside the scale, or a firm variable that cannot be
                   parsed or is outside its range (evidence: :func:`codebook_schema`)
=================  ======================================================================

Multivariate outliers (squared Mahalanobis distance on the substantive construct items,
chi-square p below ``mahalanobis_p``) are flagged in ``mv_outlier`` and dropped only if
``drop_mv_outliers`` is true (then as rule ``mv_outlier``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from nero.survey.codebook import Codebook, load_codebook
from nero.survey.errors import SurveyInputError
from nero.survey.importer import validate_export
from nero.survey.responses import TypedTable, normalise_number, type_responses
from nero.survey.rules import (
    POOLED,
    RULE_STAGE,
    RULES,
    STAGES,
    longest_run,
    mahalanobis_outliers,
    rule_attention,
    rule_duplicate,
    rule_out_of_range,
    rule_preview_spam,
    rule_screening,
    rule_speeder,
    rule_straightliner,
    rule_unfinished,
    wave_median_durations,
)

CONTROLS = ["log_employees", "log_firm_age", "log_foreign_markets", "years_abroad"]


@dataclass(frozen=True)
class CleaningSettings:
    """The ``survey:`` section of config/config.yaml (see config/schema.yaml)."""

    speeder_share: float = 0.4
    straightline_run: int = 15
    straightline_sd: float = 0.25
    mahalanobis_p: float = 0.001
    drop_mv_outliers: bool = False

    @classmethod
    def from_config(cls, section: dict | None) -> CleaningSettings:
        """Settings from a config section; unknown keys are an error."""
        section = dict(section or {})
        known = set(cls.__dataclass_fields__)
        extra = sorted(set(section) - known)
        if extra:
            raise ValueError(f"unknown survey settings {extra}; known: {sorted(known)}")
        return cls(**section)

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------------------
# the whole cleaning
# ---------------------------------------------------------------------------------------


@dataclass
class CleaningResult:
    """Everything cleaning produces (see :func:`clean_survey`)."""

    clean: pd.DataFrame
    exclusion_log: pd.DataFrame
    flow: pd.DataFrame
    value_fixes: pd.DataFrame
    outliers: pd.DataFrame
    harmonised: pd.DataFrame
    validation: pd.DataFrame
    settings: CleaningSettings = field(default_factory=CleaningSettings)
    warnings: list[str] = field(default_factory=list)

    def counts(self, wave: str = POOLED) -> dict[str, int]:
        """``received``, each rule's drops and ``usable`` for a wave (or pooled)."""
        rows = self.flow[self.flow["wave"] == wave]
        out = {"received": int(rows.loc[rows["step"] == 0, "remaining"].iloc[0])}
        for r in rows[rows["step"] > 0].itertuples():
            out[r.rule] = int(r.dropped)
        out["usable"] = int(rows["remaining"].iloc[-1])
        out["mv_outlier_flagged"] = int(rows["flagged"].sum())
        return out

    def summary(self) -> str:
        lines = []
        for wave in self.flow["wave"].unique():
            c = self.counts(wave)
            drops = ", ".join(f"{r} {c[r]}" for r in [*RULES, "mv_outlier"] if r in c)
            lines.append(
                f"{wave}: received {c['received']}; dropped {drops}; usable {c['usable']} "
                f"({c['mv_outlier_flagged']} flagged as multivariate outliers)"
            )
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        return self.clean

    def to_dict(self) -> dict:
        return {w: self.counts(w) for w in self.flow["wave"].unique()}


def _check_unique_response_ids(frame: pd.DataFrame) -> None:
    dup = frame[frame["response_id"].duplicated(keep=False)]
    if dup.empty:
        return
    lines = []
    for rid, group in dup.groupby("response_id", sort=True):
        where = " and ".join(f"{r.source_file} row {r.source_row}" for r in group.itertuples())
        lines.append(f"ResponseId {rid!r} appears in {where}")
    raise SurveyInputError(
        "the same ResponseId appears more than once across the survey waves (expected each response exported "
        "into one wave folder only; remove the copy from the wrong folder):\n  " + "\n  ".join(lines)
    )


def _flow(received: pd.DataFrame, dropped: dict, waves: list[str], rules: list[str], flagged: pd.Index) -> pd.DataFrame:
    """Flow table: per wave and pooled, received then each rule's drops and what remains.

    ``flagged`` counts the multivariate outliers flagged at the ``mv_outlier`` step
    (dropped too if ``drop_mv_outliers``).
    """
    rows = []
    for wave in [*waves, POOLED]:
        in_wave = set(received.index if wave == POOLED else received.index[received["wave"].eq(wave)])
        remaining = len(in_wave)
        rows.append(
            {
                "wave": wave,
                "step": 0,
                "stage": "received",
                "rule": "",
                "dropped": 0,
                "flagged": 0,
                "remaining": remaining,
            }
        )
        for step, rule in enumerate(rules, start=1):
            n = int(sum(1 for i in dropped.get(rule, {}) if i in in_wave))
            remaining -= n
            n_flagged = int(sum(1 for i in flagged if i in in_wave)) if rule == "mv_outlier" else 0
            rows.append(
                {
                    "wave": wave,
                    "step": step,
                    "stage": RULE_STAGE[rule],
                    "rule": rule,
                    "dropped": n,
                    "flagged": n_flagged,
                    "remaining": remaining,
                }
            )
    return pd.DataFrame(rows, columns=["wave", "step", "stage", "rule", "dropped", "flagged", "remaining"])


def stage_counts(flow: pd.DataFrame) -> pd.DataFrame:
    """Responses reaching each flow stage (received, screened, complete, quality checks, usable) per wave."""
    out = []
    for wave, rows in flow.groupby("wave", sort=False):
        counts = {"wave": wave, "received": int(rows.iloc[0]["remaining"])}
        for stage in STAGES[1:]:
            at = rows[rows["stage"] == stage]
            counts[stage] = int(at["remaining"].iloc[-1]) if len(at) else counts[list(counts)[-1]]
        out.append(counts)
    return pd.DataFrame(out, columns=["wave", *STAGES])


def build_clean_table(usable: pd.DataFrame, flags: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The clean analysis table of docs/architecture.md from the usable typed responses.

    Reverse-worded items are recoded as ``min + max - x``; construct scores are the mean
    of the answered items of each construct; controls: ``log_employees = ln(employees)``,
    ``log_firm_age = ln(survey year - founding_year + 1)`` (survey year = year of
    ``RecordedDate``), ``log_foreign_markets = ln(1 + foreign_markets)``, ``years_abroad``.
    """
    out = pd.DataFrame(index=usable.index)
    out["firm_code"] = usable["firm_code"]
    out["wave"] = usable["wave"]
    out["response_id"] = usable["response_id"]
    out["recorded_date"] = usable["recorded_date"].dt.strftime("%Y-%m-%d")
    out["duration_s"] = usable["duration_s"]
    for item in codebook.item_names:
        values = usable[item].astype(float)
        if codebook.items[item].reverse:
            values = codebook.scale_min + codebook.scale_max - values
        out[item] = values
    for name in codebook.firm_fields:
        out[name] = usable[name]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["log_employees"] = np.log(usable["employees"].astype(float))
        age = usable["recorded_date"].dt.year.astype(float) - usable["founding_year"].astype(float) + 1
        out["log_firm_age"] = np.log(age.where(age > 0))
        out["log_foreign_markets"] = np.log1p(usable["foreign_markets"].astype(float))
    for construct in codebook.construct_names:
        out[construct] = out[codebook.construct_items(construct)].mean(axis=1, skipna=True)
    out["mv_outlier"] = flags.reindex(usable.index)["mv_outlier"].fillna(0).astype(int)
    columns = [
        "firm_code",
        "wave",
        "response_id",
        "recorded_date",
        "duration_s",
        *codebook.item_names,
        *codebook.firm_fields,
        *[c for c in CONTROLS if c not in codebook.firm_fields],
        *codebook.construct_names,
        "mv_outlier",
    ]
    out = out[columns]
    return out.sort_values(["wave", "response_id"], kind="stable").reset_index(drop=True)


def clean_survey(
    waves: pd.DataFrame | list[pd.DataFrame] | dict,
    codebook: Codebook | dict | str,
    settings: CleaningSettings | dict | None = None,
) -> CleaningResult:
    """Apply the cleaning rules to every received response of every wave.

    Parameters
    ----------
    waves : DataFrame, list of DataFrames or dict wave -> DataFrame
        Imported wave tables (:func:`nero.survey.importer.import_wave` ``.frame``, or
        the ``results/survey/waves/<wave>.csv`` tables read back).
    codebook : Codebook, dict or path
    settings : CleaningSettings or dict (the ``survey:`` config section)

    Returns
    -------
    CleaningResult
        ``clean`` (one row per usable firm), ``exclusion_log`` (wave, ResponseId, rule,
        detail), ``flow`` (per wave and pooled), ``value_fixes``, ``outliers``,
        ``harmonised`` (every received response with its verdict), ``validation``.

    Raises
    ------
    SurveyInputError
        A wave not in the codebook, malformed cells, or a ResponseId in two waves.
    """
    codebook = load_codebook(codebook)
    settings = _settings(settings)
    named, frames = _wave_frames(waves)
    _check_waves(codebook, named, frames)
    warnings = _empty_wave_warnings(named, frames)
    harmonised = _harmonise(frames)
    _check_unique_response_ids(harmonised)
    validate_export(harmonised, codebook)
    typed_table = type_responses(harmonised, codebook)
    typed = typed_table.data
    wave_names = sorted(set(typed["wave"].unique()) | set(named))
    remaining, dropped = _apply_rules(typed, _rule_functions(typed_table, codebook, settings))
    flags = mahalanobis_outliers(typed.loc[remaining], codebook.substantive_items, settings.mahalanobis_p)
    dropped["mv_outlier"], remaining = _mv_outlier_drops(flags, remaining, codebook, settings)
    applied = [*RULES, "mv_outlier"]
    return CleaningResult(
        exclusion_log=_exclusion_log(typed, dropped, applied),
        flow=_flow(typed, dropped, wave_names, applied, flags.index[flags["mv_outlier"].eq(1)]),
        clean=build_clean_table(typed.loc[remaining], flags, codebook),
        value_fixes=typed_table.value_fixes,
        outliers=_outlier_table(typed, flags, settings),
        harmonised=_with_verdicts(harmonised, typed, dropped, applied, flags),
        validation=typed_table.failures.drop(columns="_position"),
        settings=settings,
        warnings=warnings,
    )


def _settings(settings: CleaningSettings | dict | None) -> CleaningSettings:
    if settings is None:
        return CleaningSettings()
    if isinstance(settings, dict):
        return CleaningSettings.from_config(settings)
    return settings


def _wave_frames(waves: pd.DataFrame | list[pd.DataFrame] | dict) -> tuple[list[str], list[pd.DataFrame]]:
    """The wave names (when given as a dict) and the wave tables with a fresh index."""
    named: list[str] = []
    if isinstance(waves, dict):
        named = [str(w) for w in waves]
        waves = list(waves.values())
    if isinstance(waves, pd.DataFrame):
        waves = [waves]
    if not waves:
        raise SurveyInputError("no survey wave to clean (no folder under the raw data's survey/)")
    return named, [w.reset_index(drop=True) for w in waves]


def _check_waves(codebook: Codebook, named: list[str], frames: list[pd.DataFrame]) -> None:
    """Every wave, named or found in a ``wave`` column, must be one the codebook knows."""
    for wave in named:
        codebook.check_wave(wave)
    for frame in frames:
        for wave in frame["wave"].unique():
            codebook.check_wave(str(wave))


def _empty_wave_warnings(named: list[str], frames: list[pd.DataFrame]) -> list[str]:
    """A warning per wave without responses; an error if no wave has any."""
    warnings = [
        f"wave {wave}: no responses received (its export has only the header rows); "
        "it is kept in the flow table with zero counts"
        for wave, frame in zip(named, frames)
        if frame.empty
    ]
    if all(frame.empty for frame in frames):
        raise SurveyInputError(
            "no survey responses at all: every wave's export has only its header rows "
            f"(waves: {', '.join(named) or 'unnamed'}); expected at least one response"
        )
    return warnings


def _harmonise(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The non-empty waves in one table, sorted by wave and ResponseId."""
    harmonised = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    return harmonised.sort_values(["wave", "response_id"], kind="stable").reset_index(drop=True)


def _rule_functions(typed_table: TypedTable, codebook: Codebook, settings: CleaningSettings) -> dict:
    """Rule name -> ``f(frame) -> Series`` of details, with the codebook and settings bound."""
    medians = wave_median_durations(typed_table.data)
    return {
        "preview_spam": lambda f: rule_preview_spam(f),
        "screening": lambda f: rule_screening(f, codebook),
        "unfinished": lambda f: rule_unfinished(f),
        "duplicate": lambda f: rule_duplicate(f),
        "attention": lambda f: rule_attention(f, codebook),
        "speeder": lambda f: rule_speeder(f, medians, settings.speeder_share),
        "straightliner": lambda f: rule_straightliner(
            f, codebook.item_names, settings.straightline_run, settings.straightline_sd
        ),
        "out_of_range": lambda f: rule_out_of_range(f, typed_table.failures, codebook),
    }


def _apply_rules(typed: pd.DataFrame, rules: dict) -> tuple[pd.Index, dict[str, dict]]:
    """Apply the rules in the order of :data:`RULES`, each to what the earlier ones kept."""
    remaining = typed.index
    dropped: dict[str, dict] = {}
    for rule in RULES:
        details = rules[rule](typed.loc[remaining])
        dropped[rule] = details.to_dict()
        remaining = remaining.difference(details.index)
    return remaining, dropped


def _mv_outlier_drops(
    flags: pd.DataFrame, remaining: pd.Index, codebook: Codebook, settings: CleaningSettings
) -> tuple[dict, pd.Index]:
    """The ``mv_outlier`` step: its drops (none unless ``drop_mv_outliers``) and what remains."""
    if not settings.drop_mv_outliers:
        return {}, remaining
    flagged = flags.index[flags["mv_outlier"].eq(1)]
    details = {
        i: f"Mahalanobis d2 {flags.at[i, 'mahalanobis_d2']:.2f}, df {len(codebook.substantive_items)}, "
        f"p {flags.at[i, 'p']:.2e} < {settings.mahalanobis_p:g}"
        for i in flagged
    }
    return details, remaining.difference(flagged)


def _exclusion_log(typed: pd.DataFrame, dropped: dict[str, dict], applied: list[str]) -> pd.DataFrame:
    """One row per dropped response: wave, ResponseId, rule, detail."""
    log_rows = [
        {"wave": typed.at[i, "wave"], "ResponseId": typed.at[i, "response_id"], "rule": rule, "detail": d}
        for rule in applied
        for i, d in dropped.get(rule, {}).items()
    ]
    exclusion_log = pd.DataFrame(log_rows, columns=["wave", "ResponseId", "rule", "detail"])
    return exclusion_log.sort_values(["wave", "ResponseId"], kind="stable").reset_index(drop=True)


def _outlier_table(typed: pd.DataFrame, flags: pd.DataFrame, settings: CleaningSettings) -> pd.DataFrame:
    """Mahalanobis distances and flags of the responses that passed the rules, and whether each was dropped."""
    outliers = pd.concat([typed.loc[flags.index, ["wave", "response_id"]], flags], axis=1)
    outliers = outliers.rename(columns={"response_id": "ResponseId"})
    outliers = outliers.sort_values(["wave", "ResponseId"], kind="stable").reset_index(drop=True)
    outliers["dropped"] = int(settings.drop_mv_outliers) * outliers["mv_outlier"]
    return outliers


def _with_verdicts(
    harmonised: pd.DataFrame, typed: pd.DataFrame, dropped: dict[str, dict], applied: list[str], flags: pd.DataFrame
) -> pd.DataFrame:
    """Every received response with the rule that dropped it (``""`` if kept) and its outlier flag."""
    verdict = pd.Series("", index=typed.index, dtype=object)
    for rule in applied:
        for i in dropped.get(rule, {}):
            verdict[i] = rule
    harmonised_out = harmonised.copy()
    harmonised_out["excluded_by"] = verdict.values
    harmonised_out["mv_outlier"] = flags["mv_outlier"].reindex(typed.index).astype("Int64").values
    return harmonised_out.reset_index(drop=True)


__all__ = [
    "RULES",
    "STAGES",
    "CleaningResult",
    "CleaningSettings",
    "build_clean_table",
    "clean_survey",
    "longest_run",
    "mahalanobis_outliers",
    "normalise_number",
    "rule_attention",
    "rule_duplicate",
    "rule_out_of_range",
    "rule_preview_spam",
    "rule_screening",
    "rule_speeder",
    "rule_straightliner",
    "rule_unfinished",
    "stage_counts",
    "type_responses",
    "wave_median_durations",
]
