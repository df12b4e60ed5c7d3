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

import math
import re
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from nero.survey.codebook import Codebook, codebook_schema, export_schema, load_codebook
from nero.survey.errors import SurveyInputError, cell
from nero.survey.importer import validate_export

RULES = ("preview_spam", "screening", "unfinished", "duplicate", "attention", "speeder", "straightliner", "out_of_range")
#: The flow stage a response reaches only if it passes the rule.
RULE_STAGE = {
    "preview_spam": "screened", "screening": "screened", "unfinished": "complete",
    "duplicate": "quality checks", "attention": "quality checks", "speeder": "quality checks",
    "straightliner": "quality checks", "out_of_range": "quality checks", "mv_outlier": "usable",
}
STAGES = ("received", "screened", "complete", "quality checks", "usable")
POOLED = "pooled"
#: Qualtrics ``Status`` codes (for exclusion details).
STATUS_LABELS = {0: "IP Address", 1: "Survey Preview", 2: "Survey Test", 4: "Imported", 8: "Spam",
                 9: "Survey Preview Spam", 12: "Imported Spam", 16: "Offline", 17: "Offline Survey Preview"}
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
    def from_config(cls, section: dict | None) -> "CleaningSettings":
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
# typing and normalising
# ---------------------------------------------------------------------------------------

_PLAIN_INT = re.compile(r"^[+-]?\d+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")
_POINT_ZERO = re.compile(r"^[+-]?\d+\.0+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+)$")


def normalise_number(text: object, kind: str = "integer") -> tuple[float, str | None]:
    """Parse a text-entry number, fixing only harmless formatting.

    Harmless: surrounding blanks (``" 45 "``), thousands separators (``"1,200"``), a
    zero decimal part (``"2009.0"``). Anything else (``"about 50"``, ``"12.5"`` for an
    integer) cannot be parsed.

    Parameters
    ----------
    text : object
        The cell (``NA`` for no answer).
    kind : {"integer", "number"}

    Returns
    -------
    (value, fixed) : (float, str or None)
        ``value`` is NaN for no answer or an unparseable entry; ``fixed`` is the
        normalised text when it differs from the raw text, ``""`` when the entry cannot
        be parsed, and ``None`` otherwise.

    Examples
    --------
    >>> normalise_number("1,200")
    (1200.0, '1200')
    >>> normalise_number(" 45 ")
    (45.0, '45')
    >>> normalise_number("2009.0")
    (2009.0, '2009')
    >>> normalise_number("about 50")
    (nan, '')
    >>> normalise_number("45")
    (45.0, None)
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return math.nan, None
    raw = str(text)
    s = raw.strip()
    if not s:
        return math.nan, None
    if _PLAIN_INT.match(s):
        number = int(s)
    elif _THOUSANDS.match(s):
        number = int(s.replace(",", ""))
    elif _POINT_ZERO.match(s):
        number = int(s.split(".")[0])
    elif kind == "number" and _DECIMAL.match(s):
        value = float(s)
        fixed = repr(value)
        return value, (fixed if fixed != raw else None)
    else:
        return math.nan, ""
    fixed = str(number)
    return float(number), (fixed if fixed != raw else None)


@dataclass
class TypedTable:
    """Every received response with typed values, and what typing found."""

    data: pd.DataFrame
    value_fixes: pd.DataFrame
    failures: pd.DataFrame


def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.astype(object).where(series.notna(), None), errors="coerce").astype(float)


def type_responses(harmonised: pd.DataFrame, codebook: Codebook) -> TypedTable:
    """Type every received response, normalise text-entry numbers, validate ranges.

    Parameters
    ----------
    harmonised : pandas.DataFrame
        Imported wave tables stacked (text cells, canonical names).
    codebook : Codebook

    Returns
    -------
    TypedTable
        ``data``: numeric answers (float, NaN = no answer or unparseable), timestamps;
        ``value_fixes``: one row per normalised cell (wave, ResponseId, column,
        export_column, raw, fixed); ``failures``: one row per cell failing
        :func:`codebook_schema` or unparseable (wave, ResponseId, file, row, column,
        export_column, value, check).
    """
    import pandera.errors as pae

    data = harmonised.copy().reset_index(drop=True)
    typed = pd.DataFrame(index=data.index)
    for column in ("wave", "response_id", "source_file"):
        typed[column] = data[column].astype(str)
    typed["source_row"] = data["source_row"].astype(int)
    for column in ("start_date", "end_date", "recorded_date"):
        if column in data:
            typed[column] = pd.to_datetime(data[column], errors="coerce")
    for column in ("status", "progress", "finished", "duration_s"):
        typed[column] = _num(data[column])
    for column in ("distribution_channel", "user_language"):
        typed[column] = data[column].astype(object) if column in data else pd.Series(pd.NA, index=data.index, dtype=object)
    typed["firm_code"] = data["firm_code"].map(lambda v: v.strip() if isinstance(v, str) else v).astype(object)
    for column in (*codebook.checks, *codebook.item_names):
        typed[column] = _num(data[column])
    fixes, unparsed = [], []
    for name in codebook.firm_fields:
        q = codebook.firm_variables[name]
        if q.kind in ("integer", "number"):
            values = []
            for position, raw in data[name].items():
                value, fixed = normalise_number(raw, q.kind)
                values.append(value)
                meta = (data.at[position, "wave"], data.at[position, "response_id"])
                if fixed == "":
                    unparsed.append((position, name, raw))
                elif fixed is not None:
                    fixes.append((*meta, name, codebook.column_of(name, meta[0]), str(raw), fixed))
            typed[name] = pd.Series(values, index=data.index, dtype=float)
        elif q.kind == "code":
            typed[name] = _num(data[name])
        else:
            typed[name] = data[name].astype(object)
    value_fixes = pd.DataFrame(fixes, columns=["wave", "ResponseId", "column", "export_column", "raw", "fixed"])
    value_fixes = value_fixes.sort_values(["wave", "ResponseId", "column"], kind="stable").reset_index(drop=True)

    rows = []
    try:
        codebook_schema(codebook).validate(typed, lazy=True)
    except pae.SchemaErrors as exc:
        for _, failure in exc.failure_cases.iterrows():
            if pd.isna(failure["index"]):
                raise SurveyInputError(f"survey table: {failure['check']}: {failure['failure_case']}") from None
            rows.append((int(failure["index"]), str(failure["column"]), failure["failure_case"], str(failure["check"])))
    for position, name, raw in unparsed:
        q = codebook.firm_variables[name]
        rows.append((position, name, raw, f"a {'whole ' if q.kind == 'integer' else ''}number (the entry cannot be parsed)"))
    records = []
    for position, column, value, check in rows:
        wave = typed.at[position, "wave"]
        records.append({
            "wave": wave, "ResponseId": typed.at[position, "response_id"],
            "file": typed.at[position, "source_file"], "row": int(typed.at[position, "source_row"]),
            "column": column, "export_column": codebook.column_of(column, wave),
            "value": _fmt(value), "check": check, "_position": position,
        })
    failures = pd.DataFrame(records, columns=["wave", "ResponseId", "file", "row", "column", "export_column",
                                              "value", "check", "_position"])
    failures = failures.sort_values(["wave", "ResponseId", "column"], kind="stable").reset_index(drop=True)
    return TypedTable(data=typed, value_fixes=value_fixes, failures=failures)


def _fmt(value: object) -> str:
    """A value for a detail line: whole numbers without ``.0``, others to 4 significant digits."""
    if value is None or value is pd.NA:
        return "(empty)"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return "(empty)"
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.4g}"
    return str(value)


# ---------------------------------------------------------------------------------------
# the rules (pure functions over the typed table of the responses still in)
# ---------------------------------------------------------------------------------------

def rule_preview_spam(frame: pd.DataFrame) -> pd.Series:
    """``Status`` other than 0 (IP Address), or a preview/test distribution channel."""
    channel = frame["distribution_channel"].map(lambda v: str(v).strip().lower() if isinstance(v, str) else "")
    status = frame["status"]
    bad_status = status.ne(0)
    bad_channel = channel.isin(["preview", "test"])
    out = {}
    for idx in frame.index[bad_status | bad_channel]:
        parts = []
        if bad_status[idx]:
            code = int(status[idx])
            parts.append(f"Status={code} ({STATUS_LABELS.get(code, 'not a live response')})")
        if bad_channel[idx]:
            parts.append(f"DistributionChannel={channel[idx]}")
        out[idx] = "; ".join(parts)
    return pd.Series(out, dtype=object)


def rule_screening(frame: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """The screening answer is not one of ``pass_values`` (no answer fails too)."""
    check = codebook.checks["screening"]
    answer = frame["screening"]
    bad = ~answer.isin([float(v) for v in check.pass_values])
    allowed = ", ".join(str(v) for v in check.pass_values)
    return pd.Series({i: f"{check.id}={_fmt(answer[i])} (passes: {allowed})" for i in frame.index[bad]}, dtype=object)


def rule_unfinished(frame: pd.DataFrame) -> pd.Series:
    """``Finished`` is 0 or ``Progress`` is below 100."""
    bad = frame["finished"].eq(0) | frame["progress"].lt(100)
    return pd.Series({i: f"Finished={_fmt(frame.at[i, 'finished'])}, Progress={_fmt(frame.at[i, 'progress'])}"
                      for i in frame.index[bad]}, dtype=object)


def rule_duplicate(frame: pd.DataFrame) -> pd.Series:
    """A later submission of a ``FirmCode`` already kept, within or across waves.

    The earliest ``RecordedDate`` is kept (ties: wave, then ResponseId). Responses
    without a firm code cannot be matched and are never duplicates.
    """
    coded = frame[frame["firm_code"].map(lambda v: isinstance(v, str) and bool(v))]
    ordered = coded.sort_values(["firm_code", "recorded_date", "wave", "response_id"], kind="stable")
    out = {}
    for _, group in ordered.groupby("firm_code", sort=True):
        if len(group) < 2:
            continue
        kept = group.iloc[0]
        for idx in group.index[1:]:
            out[idx] = (f"FirmCode {kept['firm_code']} already kept: {kept['wave']} {kept['response_id']} "
                        f"recorded {kept['recorded_date']:%Y-%m-%d %H:%M:%S}")
    return pd.Series(out, dtype=object)


def rule_attention(frame: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """The attention item differs from ``checks.attention.expected`` (no answer fails too)."""
    check = codebook.checks["attention"]
    answer = frame["attention"]
    bad = answer.ne(float(check.expected)) | answer.isna()
    return pd.Series({i: f"{check.id}={_fmt(answer[i])} (expected {_fmt(check.expected)})" for i in frame.index[bad]},
                     dtype=object)


def wave_median_durations(received: pd.DataFrame) -> dict[str, float]:
    """Median ``Duration (in seconds)`` of the finished responses of each wave (all received)."""
    finished = received[received["finished"].eq(1)]
    return {str(w): float(d.median()) for w, d in finished.groupby("wave")["duration_s"]}


def rule_speeder(frame: pd.DataFrame, medians: dict[str, float], share: float) -> pd.Series:
    """Duration below ``share`` x the wave's median duration of finished responses."""
    out = {}
    for idx in frame.index:
        median = medians.get(frame.at[idx, "wave"], math.nan)
        limit = share * median
        duration = frame.at[idx, "duration_s"]
        if not math.isnan(limit) and duration < limit:
            out[idx] = f"Duration {_fmt(duration)} s < {share:g} x wave median {_fmt(median)} s = {_fmt(limit)} s"
    return pd.Series(out, dtype=object)


def longest_run(values: np.ndarray) -> int:
    """Length of the longest run of equal, non-missing consecutive values.

    Examples
    --------
    >>> longest_run(np.array([1, 1, 2, 2, 2, np.nan, 2]))
    3
    """
    best = run = 0
    previous = math.nan
    for value in values:
        if math.isnan(value):
            run, previous = 0, math.nan
            continue
        run = run + 1 if value == previous else 1
        previous = value
        best = max(best, run)
    return best


def rule_straightliner(frame: pd.DataFrame, items: list[str], run: int, sd: float) -> pd.Series:
    """Long-string (longest run >= ``run``) or near-zero within-person SD (< ``sd``) over the battery.

    The battery is the Likert items in codebook order, as answered (before reverse
    coding); the SD is the sample SD (n - 1) over the answered items.
    """
    out = {}
    values = frame[items].to_numpy(dtype=float)
    for position, idx in enumerate(frame.index):
        row = values[position]
        answered = row[~np.isnan(row)]
        longest = longest_run(row)
        spread = float(np.std(answered, ddof=1)) if len(answered) > 1 else math.nan
        parts = []
        if longest >= run:
            parts.append(f"longest run {longest} >= {run}")
        if not math.isnan(spread) and spread < sd:
            parts.append(f"within-person SD {spread:.3f} < {sd:g}")
        if parts:
            out[idx] = "; ".join(parts) + f" over {len(items)} items"
    return pd.Series(out, dtype=object)


def rule_out_of_range(frame: pd.DataFrame, failures: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """A Likert answer outside the scale, or a firm variable unparseable / out of range.

    ``failures`` is :attr:`TypedTable.failures` (the :func:`codebook_schema` failures plus
    unparseable entries); the attention item's failures are left to ``attention``.
    """
    relevant = failures[failures["column"].isin([*codebook.item_names, *codebook.firm_fields])]
    relevant = relevant[relevant["_position"].isin(frame.index)]
    out = {}
    for position, group in relevant.groupby("_position", sort=True):
        parts = [f"{r.column} ({r.export_column})={r.value}: expected {r.check}" for r in group.itertuples()]
        out[position] = "; ".join(parts)
    return pd.Series(out, dtype=object)


# ---------------------------------------------------------------------------------------
# multivariate outliers
# ---------------------------------------------------------------------------------------

def mahalanobis_outliers(frame: pd.DataFrame, items: list[str], p_threshold: float) -> pd.DataFrame:
    """Squared Mahalanobis distance of each response from the centroid, with its p-value.

    Parameters
    ----------
    frame : pandas.DataFrame
        Responses (rows) with the item columns.
    items : list of str
        Items over which the distance is taken.
    p_threshold : float
        A response is flagged when ``P(chi2(len(items)) > d2) < p_threshold``.

    Returns
    -------
    pandas.DataFrame
        Index of ``frame``; columns ``mahalanobis_d2``, ``df``, ``p``, ``mv_outlier``
        (0/1). Responses with a missing item get NaN distance and flag 0; the centroid and
        covariance (n - 1) are those of the complete responses.
    """
    from scipy import stats

    x = frame[items].to_numpy(dtype=float)
    complete = ~np.isnan(x).any(axis=1)
    d2 = np.full(len(frame), np.nan)
    if complete.sum() > len(items):
        xc = x[complete]
        centre = xc.mean(axis=0)
        cov = np.cov(xc, rowvar=False)
        inverse = np.linalg.pinv(cov)
        diff = xc - centre
        d2[complete] = np.einsum("ij,jk,ik->i", diff, inverse, diff)
    p = stats.chi2.sf(d2, df=len(items))
    flag = np.where(np.isnan(p), 0, (p < p_threshold).astype(int))
    return pd.DataFrame({"mahalanobis_d2": d2, "df": len(items), "p": p, "mv_outlier": flag}, index=frame.index)


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
            lines.append(f"{wave}: received {c['received']}; dropped {drops}; usable {c['usable']} "
                         f"({c['mv_outlier_flagged']} flagged as multivariate outliers)")
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


def _flow(received: pd.DataFrame, dropped: dict, waves: list[str], rules: list[str],
          flagged: pd.Index) -> pd.DataFrame:
    """Flow table: per wave and pooled, received then each rule's drops and what remains.

    ``flagged`` counts the multivariate outliers flagged at the ``mv_outlier`` step
    (dropped too if ``drop_mv_outliers``).
    """
    rows = []
    for wave in [*waves, POOLED]:
        in_wave = set(received.index if wave == POOLED else received.index[received["wave"].eq(wave)])
        remaining = len(in_wave)
        rows.append({"wave": wave, "step": 0, "stage": "received", "rule": "", "dropped": 0, "flagged": 0,
                     "remaining": remaining})
        for step, rule in enumerate(rules, start=1):
            n = int(sum(1 for i in dropped.get(rule, {}) if i in in_wave))
            remaining -= n
            n_flagged = int(sum(1 for i in flagged if i in in_wave)) if rule == "mv_outlier" else 0
            rows.append({"wave": wave, "step": step, "stage": RULE_STAGE[rule], "rule": rule,
                         "dropped": n, "flagged": n_flagged, "remaining": remaining})
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
    columns = ["firm_code", "wave", "response_id", "recorded_date", "duration_s", *codebook.item_names,
               *codebook.firm_fields, *[c for c in CONTROLS if c not in codebook.firm_fields],
               *codebook.construct_names, "mv_outlier"]
    out = out[columns]
    return out.sort_values(["wave", "response_id"], kind="stable").reset_index(drop=True)


def clean_survey(waves: pd.DataFrame | list[pd.DataFrame] | dict, codebook: Codebook | dict | str,
                 settings: CleaningSettings | dict | None = None) -> CleaningResult:
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
    if settings is None:
        settings = CleaningSettings()
    elif isinstance(settings, dict):
        settings = CleaningSettings.from_config(settings)
    named: list[str] = []
    if isinstance(waves, dict):
        named = [str(w) for w in waves]
        waves = list(waves.values())
    if isinstance(waves, pd.DataFrame):
        waves = [waves]
    if not waves:
        raise SurveyInputError("no survey wave to clean (no folder under the raw data's survey/)")
    frames = [w.reset_index(drop=True) for w in waves]
    for wave in named:
        codebook.check_wave(wave)
    for frame in frames:
        for wave in frame["wave"].unique():
            codebook.check_wave(str(wave))
    warnings = [f"wave {wave}: no responses received (its export has only the header rows); "
                "it is kept in the flow table with zero counts" for wave, frame in zip(named, frames) if frame.empty]
    if all(frame.empty for frame in frames):
        raise SurveyInputError(
            "no survey responses at all: every wave's export has only its header rows "
            f"(waves: {', '.join(named) or 'unnamed'}); expected at least one response"
        )
    harmonised = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    harmonised = harmonised.sort_values(["wave", "response_id"], kind="stable").reset_index(drop=True)
    _check_unique_response_ids(harmonised)
    validate_export(harmonised, codebook)
    typed_table = type_responses(harmonised, codebook)
    typed = typed_table.data
    wave_names = sorted(set(typed["wave"].unique()) | set(named))
    medians = wave_median_durations(typed)
    rules = {
        "preview_spam": lambda f: rule_preview_spam(f),
        "screening": lambda f: rule_screening(f, codebook),
        "unfinished": lambda f: rule_unfinished(f),
        "duplicate": lambda f: rule_duplicate(f),
        "attention": lambda f: rule_attention(f, codebook),
        "speeder": lambda f: rule_speeder(f, medians, settings.speeder_share),
        "straightliner": lambda f: rule_straightliner(f, codebook.item_names, settings.straightline_run,
                                                      settings.straightline_sd),
        "out_of_range": lambda f: rule_out_of_range(f, typed_table.failures, codebook),
    }
    remaining = typed.index
    dropped: dict[str, dict] = {}
    for rule in RULES:
        details = rules[rule](typed.loc[remaining])
        dropped[rule] = details.to_dict()
        remaining = remaining.difference(details.index)
    flags = mahalanobis_outliers(typed.loc[remaining], codebook.substantive_items, settings.mahalanobis_p)
    applied = list(RULES)
    if settings.drop_mv_outliers:
        flagged = flags.index[flags["mv_outlier"].eq(1)]
        dropped["mv_outlier"] = {
            i: f"Mahalanobis d2 {flags.at[i, 'mahalanobis_d2']:.2f}, df {len(codebook.substantive_items)}, "
               f"p {flags.at[i, 'p']:.2e} < {settings.mahalanobis_p:g}" for i in flagged}
        remaining = remaining.difference(flagged)
        applied.append("mv_outlier")
    else:
        dropped["mv_outlier"] = {}
        applied.append("mv_outlier")

    log_rows = [{"wave": typed.at[i, "wave"], "ResponseId": typed.at[i, "response_id"], "rule": rule, "detail": d}
                for rule in applied for i, d in dropped.get(rule, {}).items()]
    exclusion_log = pd.DataFrame(log_rows, columns=["wave", "ResponseId", "rule", "detail"])
    exclusion_log = exclusion_log.sort_values(["wave", "ResponseId"], kind="stable").reset_index(drop=True)

    flow = _flow(typed, dropped, wave_names, applied, flags.index[flags["mv_outlier"].eq(1)])
    clean = build_clean_table(typed.loc[remaining], flags, codebook)

    outliers = pd.concat([typed.loc[flags.index, ["wave", "response_id"]], flags], axis=1)
    outliers = outliers.rename(columns={"response_id": "ResponseId"})
    outliers = outliers.sort_values(["wave", "ResponseId"], kind="stable").reset_index(drop=True)
    outliers["dropped"] = int(settings.drop_mv_outliers) * outliers["mv_outlier"]

    verdict = pd.Series("", index=typed.index, dtype=object)
    for rule in applied:
        for i in dropped.get(rule, {}):
            verdict[i] = rule
    harmonised_out = harmonised.copy()
    harmonised_out["excluded_by"] = verdict.values
    harmonised_out["mv_outlier"] = flags["mv_outlier"].reindex(typed.index).astype("Int64").values
    validation = typed_table.failures.drop(columns="_position")
    return CleaningResult(
        clean=clean, exclusion_log=exclusion_log, flow=flow, value_fixes=typed_table.value_fixes,
        outliers=outliers, harmonised=harmonised_out.reset_index(drop=True), validation=validation,
        settings=settings, warnings=warnings,
    )


__all__ = [
    "RULES", "STAGES", "CleaningResult", "CleaningSettings", "build_clean_table", "clean_survey",
    "longest_run", "mahalanobis_outliers", "normalise_number", "rule_attention", "rule_duplicate",
    "rule_out_of_range", "rule_preview_spam", "rule_screening", "rule_speeder", "rule_straightliner",
    "rule_unfinished", "stage_counts", "type_responses", "wave_median_durations",
]
