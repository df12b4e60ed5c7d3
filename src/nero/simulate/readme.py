"""Render ``raw/README.md`` of the synthetic study from its ground truth."""

from __future__ import annotations

from typing import Any

_PARAM_DOC = {
    "type_probs": "Share of firms of each latent strategy type (IO, SE, PO, AGS = the four archetypes; AMB ambidextrous market-seeker; NET networks without orientation; ORI orientation without networks; LOW neither).",  # noqa: E501
    "type_means": "Sign pattern of each type on (INST, VIRT, EFF, MKT).",
    "type_separation": "Distance of the type means from 0 (before standardisation).",
    "within_sd": "Within-type SD of the antecedent latents.",
    "latent_corr": "Within-type correlation of (INST, VIRT, EFF, MKT).",
    "latent_sd_pop": "Population SD used to standardise each antecedent to unit variance.",
    "cap_coef": "Capacity equation: weights of INST, VIRT, EFF, MKT and of the INST x VIRT product (network ambidexterity).",
    "cap_noise_sd": "SD of the capacity disturbance.",
    "cap_pop_mean": "Population mean of the raw capacity score (fixed-seed Monte Carlo).",
    "cap_pop_sd": "Population SD of the raw capacity score.",
    "cap_level": "CAP latent = standardised raw score + cap_level (capacity sits above the midpoint).",
    "cap_gate": "Shift of the CAP membership used inside the recipes (capacity must be clearly present).",
    "sco_fuzzy_weight": "Weight of logit(f)/2, f = max over recipes of min(latent memberships), in the expected SCO mean.",
    "sco_f_clip": "f is clipped to [clip, 1 - clip] before the logit.",
    "sco_linear_weight": "Weight of the linear part sco_cap * CAP + sco_cap_x_mkt * CAP * MKT.",
    "sco_cap": "Linear effect of CAP on SCO.",
    "sco_cap_x_mkt": "CAP x MKT moderation in the linear part.",
    "sco_intercept": "Shift of the expected SCO construct mean.",
    "sco_noise_sd": "SD of the SCO disturbance.",
    "sco_ceiling_offset": "SCO is capped at the expected CAP mean + this offset (+ noise): no scale-out beyond scale-up.",
    "sco_ceiling_sd": "SD of the noise of that ceiling.",
    "item_scale": "Item = round(4 + item_scale * (loading * latent + unique + method)), clipped to 1..7.",
    "item_center": "Scale midpoint.",
    "loadings": "Pattern loading of each item, per construct in codebook order (reverse-worded items carry the weakest).",
    "mean_loadings": "Mean loading per construct (used to map latents to expected construct means).",
    "method_loading": "Loading of every item on a respondent-level common-method factor.",
    "employees_median": "Median employees (log-normal).",
    "employees_log_sd": "SD of log employees.",
    "employees_cap_slope": "Effect of the CAP latent on log employees.",
    "age_median": "Median firm age in years (log-normal); founding_year = survey year - age.",
    "age_log_sd": "SD of log firm age.",
    "sector_probs": "Sector code shares (codebook codes 1..6), independent of the latents.",
    "markets_log_mean": "Log mean of foreign markets (Poisson).",
    "markets_sco_slope": "Effect of the SCO latent on the log mean of foreign markets.",
    "years_abroad_share": "years_abroad ~ Binomial(firm age, share); 0 without foreign markets.",
}

_RULE_DOC = {
    "preview_spam": "Status 1 (preview), 2 (test) or 8 (spam) / DistributionChannel preview, test or anonymous; no FirmCode.",
    "screening": "Screening question answered 2 (No); the rest blank by skip logic; Finished 1.",
    "unfinished": "Finished 0 and Progress < 100; blocks after the break-off blank. One of them shares its FirmCode with a later complete response of the same firm, which is kept.",  # noqa: E501
    "duplicate": "A FirmCode that was already kept, submitted again later (within the wave; in later waves also one firm from an earlier wave).",
    "attention": "Attention item answered other than 6 (Agree).",
    "speeder": "Duration 12-30 % of the typical duration (well under 0.4 x the wave median).",
    "straightliner": "All 31 Likert answers 4 (run 31, SD 0), or the first 18-24 answers 4.",
    "out_of_range": "One Likert answer 8 or 77, employees 'fifty' or 350, founding year 2031, or foreign markets 'many'.",
}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


def render_readme(truth: dict[str, Any], codebook: dict[str, Any], marker: str) -> str:
    """Markdown README of the generated ``raw/`` folder.

    Parameters
    ----------
    truth
        The ``truth.json`` dictionary.
    codebook
        The instrument codebook.
    marker
        Line identifying generated data (checked before a regeneration overwrites ``raw/``).

    Returns
    -------
    str
        Markdown text (LF line endings).
    """
    sections = (
        _intro(truth, marker),
        _files(truth),
        _survey_exports(truth),
        _planted_problems(truth),
        _dgp(truth),
        _dgp_checks(truth),
        _interviews(truth),
        _replacing(marker),
    )
    return "\n".join(line for section in sections for line in section)


def _intro(truth: dict[str, Any], marker: str) -> list[str]:
    """Title, what the folder is, and how to regenerate it."""
    waves = truth["waves"]
    return [
        "# Raw inputs of the Network Ambidexterity study",
        "",
        f"**{marker}.** Everything in this folder is generated by `nero.simulate` from a documented",
        "data-generating process (DGP). The real interviews and survey are confidential and",
        "embargoed; these files are a stand-in with exactly the formats the real data arrive in.",
        "Results computed from them are results about synthetic data. The true parameters are",
        "in `../truth/` (not an input of the pipeline).",
        "",
        f"Regenerate: `python -m nero.simulate --seed {truth['seed']} --firms {truth['n_firms']} --out data`",
        f"(seed {truth['seed']}, {truth['n_firms']} usable firms, waves {', '.join(waves)}, "
        f"{len(truth['interviews'])} interviews). Same seed, same bytes; `MANIFEST.sha256` lists the",
        "SHA-256 of every other file here (`sha256sum -c MANIFEST.sha256` from this folder).",
        "",
    ]


def _files(truth: dict[str, Any]) -> list[str]:
    """``## Files``: one row per survey export, then the interview files."""
    lines = [
        "## Files",
        "",
        "| path | what |",
        "| --- | --- |",
    ]
    for wave in truth["waves"]:
        s = truth["survey"][wave]
        lines.append(
            f"| `{s['file']}` | Qualtrics CSV export of {wave} (fielded {s['fielded'][0]} to {s['fielded'][1]}): "
            f"{s['rows']} responses, {s['usable']} usable after cleaning |"
        )
    return lines + [
        "| `interviews/study1.qdpx` | REFI-QDA project (NVivo 14 style): codebook, two coders' codings, cases with variables, sources |",
        "| `interviews/transcripts/*.txt` | the interview transcripts (UTF-8, CRLF, no BOM), identical to the sources in the project |",
        "| `interviews/coded_segments.csv` | the same codings as a flat table: document, coder, code_path, start, end, text |",
        "| `README.md` | this file |",
        "| `MANIFEST.sha256` | checksums of every other file |",
        "",
    ]


def _survey_exports(truth: dict[str, Any]) -> list[str]:
    """``## Survey exports``: the export format, then the columns renamed per wave."""
    lines = [
        "## Survey exports",
        "",
        'Qualtrics "numeric values" exports: UTF-8 with a byte-order mark, CRLF line endings and',
        "three header rows (column names; question texts, `Stem - Item` for matrix items;",
        '`{"ImportId":...}` JSON). Metadata columns StartDate, EndDate, Status, IPAddress,',
        "Progress, Duration (in seconds), Finished, RecordedDate, ResponseId, RecipientLastName,",
        "RecipientFirstName, RecipientEmail, ExternalReference, LocationLatitude,",
        "LocationLongitude, DistributionChannel, UserLanguage come first (times in Asia/Singapore),",
        "then the screening question, the Likert battery in codebook order with the attention",
        "check after the EFF block, the firm variables (text entry) and the embedded `FirmCode`.",
        "Question columns are named by their codebook ids; ImportIds are `QID` + the id without",
        "its leading `Q` (e.g. `Q3_1` -> `QID3_1`). Identifying fields (names, e-mails at",
        "example.com, IP addresses in the documentation ranges 203.0.113.0/24 and",
        "198.51.100.0/24, locations) are invented and must be dropped at import.",
        "",
    ]
    waves = truth["waves"]
    renamed = {w: truth["survey"][w]["renamed_columns"] for w in waves if truth["survey"][w]["renamed_columns"]}
    for wave, mapping in renamed.items():
        lines.append(
            f"Renamed in {wave}: " + ", ".join(f"{item} is column `{col}`" for item, col in mapping.items()) + "."
        )
    return lines


def _planted_problems(truth: dict[str, Any]) -> list[str]:
    """``### Planted problems``: planted bad responses per rule and wave, and the harmless fixes."""
    waves = truth["waves"]
    lines = [
        "",
        "### Planted problems",
        "",
        "Every planted bad response has exactly one problem, so the first cleaning rule of",
        "`docs/architecture.md` that matches it is its planted rule; `../truth/planted_responses.csv`",
        "lists each one (wave, ResponseId, rule, detail). Clean responses never trip a rule.",
        "",
        "| rule | " + " | ".join(waves) + " | how it looks |",
        "| --- | " + " | ".join("---" for _ in waves) + " | --- |",
    ]
    for rule, doc in _RULE_DOC.items():
        counts = " | ".join(str(truth["survey"][w]["planted"][rule]) for w in waves)
        lines.append(f"| `{rule}` | {counts} | {doc} |")
    total_fixes = sum(len(truth["survey"][w]["value_fixes"]) for w in waves)
    total_missing = sum(len(truth["survey"][w]["item_nonresponse"]) for w in waves)
    return lines + [
        "",
        f"Not drops: {total_fixes} clean responses carry harmless text-entry formatting in a firm",
        "variable (a leading or trailing space, or a trailing `.0`) that cleaning normalises",
        f"(`value_fixes` in truth.json), and {total_missing} Likert answers of clean responses are",
        "blank (item nonresponse, missing completely at random; `item_nonresponse`).",
        "",
    ]


def _dgp(truth: dict[str, Any]) -> list[str]:
    """``## The data-generating process``: the steps, the planted recipes and the parameter table."""
    lines = [
        "## The data-generating process",
        "",
        "1. Each firm belongs to a latent strategy type (a mixture); its antecedent latents",
        "   INST, VIRT, EFF, MKT are the type's mean pattern times `type_separation` plus",
        "   correlated within-type noise, standardised to unit variance.",
        "2. CAP (domestic scale-up) = weighted INST, VIRT, EFF, MKT plus the INST x VIRT product",
        "   (network ambidexterity) plus noise, standardised, plus `cap_level`.",
        "3. Latent set memberships are what the direct calibration (anchors 2.5 / 4 / 5.5) gives",
        "   the expected construct mean `4 + item_scale * mean loading * latent`.",
        "4. SCO (international scale-out): the expected construct mean is",
        "   `4 + sco_fuzzy_weight * logit(f) / 2 + sco_linear_weight * (sco_cap * CAP +",
        "   sco_cap_x_mkt * CAP * MKT) + sco_intercept + noise`, where f is the largest recipe",
        "   membership (fuzzy AND = min) over the four archetype recipes below; it is then",
        "   capped by the expected CAP mean + `sco_ceiling_offset` (+ noise).",
        "5. Items: `round(4 + item_scale * (loading * latent + unique + method_loading * method))`,",
        "   clipped to 1..7; reverse-worded items are written reversed (8 - x). The marker",
        "   (MARK1-3) has its own latent, independent of everything, and shares only the",
        "   common-method factor.",
        "6. Firm variables: employees, founding year, sector, foreign markets, years abroad",
        "   (parameters below); response dates front-loaded after invitation and reminders,",
        "   independent of the latents (early and late respondents do not differ).",
        "",
        "Planted recipes (sufficient for high SCO) and the necessary condition:",
        "",
    ]
    for recipe in truth["recipes"]:
        lines.append(f"- {recipe['name']}: " + " * ".join(recipe["conditions"]))
    lines += [
        f"- necessary: {', '.join(truth['necessary'])}",
        "",
        "### Parameters",
        "",
        "| parameter | value | meaning |",
        "| --- | --- | --- |",
    ]
    for name, value in truth["dgp"].items():
        lines.append(f"| `{name}` | {_fmt(value)} | {_PARAM_DOC.get(name, '')} |")
    return lines


def _dgp_checks(truth: dict[str, Any]) -> list[str]:
    """What the DGP checks found on the usable firms of this study, one line per recipe."""
    checks = truth["dgp_checks"]
    lines = [
        "",
        f"Checks on the {checks['n']} usable firms of this study (construct means, direct calibration,",
        f"consistency cut {checks['consistency_cut']}, frequency threshold {checks['freq_threshold']}):",
        f"necessity consistency of CAP {checks['necessity_CAP']:.3f}; indirect effect of ambidexterity",
        f"via CAP (standardised OLS, a x b) {checks['indirect_effect']:.3f}; CAP x MKT moderation",
        f"{checks['moderation_CAPxMKT']:.3f}; recipe rows:",
        "",
    ]
    for r in checks["recipes"]:
        lines.append(
            f"- {r['name']}: {r['row_n']} cases, row consistency {r['row_consistency']:.3f}, "
            f"recipe consistency {r['recipe_consistency']:.3f}, recovered: {'yes' if r['recovered'] else 'no'}"
        )
    return lines


def _interviews(truth: dict[str, Any]) -> list[str]:
    """``## Interviews``: the transcripts and the REFI-QDA project."""
    return [
        "",
        "## Interviews",
        "",
        f"{len(truth['interviews'])} semi-structured interviews (about 1,250-1,600 words each) with",
        "owners or senior managers, written from each firm's planted archetype (see",
        "`../truth/truth.json`, `interviews`). People and firms are pseudonymised (`Firm A`,",
        "`R1`, ...). Some text is non-ASCII on purpose: S$ amounts, accented names (José, Zoë,",
        "Nguyễn) and one emoji inside a quoted chat message (outside the Basic Multilingual",
        "Plane, so UTF-16 positions differ from code-point positions after it).",
        "",
        "The REFI-QDA project (`project.qde`, namespace `urn:QDA-XML:project:1.0`) holds the",
        "users `coder-a` (all interviews) and `coder-b` (double-coded: "
        + ", ".join(truth["double_coded"])
        + "), a hierarchical codebook (Networks, Orientation, Capacity, Scale-out, Barriers,",
        "Enablers), one case per interview with variables sector, size_band, founding_year,",
        "foreign_sales_share and interview_date, and `PlainTextSelection`s whose",
        "`startPosition` / `endPosition` count UTF-16 code units over the source text as stored",
        "(CRLF kept, no BOM), end exclusive. `coded_segments.csv` uses the same positions.",
        "",
    ]


def _replacing(marker: str) -> list[str]:
    """``## Replacing the synthetic files with the real data``."""
    return [
        "## Replacing the synthetic files with the real data",
        "",
        "1. Put the real Qualtrics exports (numeric values, three header rows) in",
        "   `survey/<wave>/`, one CSV per wave folder; list every wave under `waves` in",
        "   `config/codebook.yaml` and add `wave_ids` for items renamed in that wave.",
        "2. Put the NVivo (or ATLAS.ti, MAXQDA, QualCoder) REFI-QDA export at",
        "   `interviews/study1.qdpx`, the transcripts in `interviews/transcripts/`, and, if",
        "   available, a coded-segments CSV with the columns above.",
        "3. Delete this README's synthetic content (the regeneration guard looks for the",
        f'   line "{marker}"), write a README describing the real data, and rebuild',
        "   `MANIFEST.sha256` (`sha256sum` over every other file, sorted by path).",
        "4. Remove `../truth/`: there is no ground truth for real data.",
        "",
    ]
