"""The coding sheet of the included articles: schema, checks against the flow, counts.

One row per included article (``accession`` of the kept record) with the APMO coding
of the review the study mirrors (seed ``001_*``): antecedents, processes, mediators,
outcomes and boundary conditions (``; ``-separated elements from :data:`VOCABULARY`),
the levels the antecedents and boundary conditions sit at (macro, meso, firm), the
technology groups, the pathway, method, country and industry. The sheet is
validated by a ``pandera`` schema (:func:`coding_schema`); cross-field checks
(levels agree with the coded elements; the sheet covers exactly the included set)
raise :class:`CodingError` naming the line and field.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

TECH_GROUPS = ("planning", "design", "production", "supply chain", "marketing/sales")
PATHWAYS = ("deep transformation", "lightweight entry")
OUTCOMES = ("speed", "scale", "scope", "performance")
LEVELS = ("macro", "meso", "firm")
METHODS = ("quantitative", "qualitative", "mixed")
ANTECEDENTS = {
    "globalisation pressure": "macro",
    "institutional voids": "macro",
    "foreign competition": "macro",
    "digital labour force": "meso",
    "industry digital infrastructure": "meso",
    "digital readiness": "firm",
    "IT capabilities": "firm",
    "perceived environmental turbulence": "firm",
}
PROCESSES = ("organisational learning", "capability building", "process digitisation", "platform adoption")
MEDIATORS = (
    "digital international entrepreneurship",
    "digital international marketing",
    "business model innovation",
    "firm-specific advantage transformation",
)
BOUNDARY_CONDITIONS = {
    "institutional support": "macro",
    "policy incentives": "macro",
    "disruptive events": "macro",
    "digital ecosystem quality": "meso",
    "partner platforms": "meso",
    "learning capability": "firm",
    "managerial digital orientation": "firm",
}
#: APMO category -> allowed elements (list columns of the sheet).
VOCABULARY = {
    "antecedents": tuple(ANTECEDENTS),
    "processes": PROCESSES,
    "mediators": MEDIATORS,
    "outcomes": OUTCOMES,
    "boundary_conditions": tuple(BOUNDARY_CONDITIONS),
    "technology_groups": TECH_GROUPS,
    "levels": LEVELS,
}
REQUIRED_LISTS = ("technology_groups", "mediators", "outcomes", "antecedents")
COLUMNS = [
    "accession",
    "citation",
    "year",
    "journal",
    "method",
    "country",
    "industry",
    "levels",
    "technology_groups",
    "pathway",
    "antecedents",
    "processes",
    "mediators",
    "outcomes",
    "boundary_conditions",
]


class CodingError(ValueError):
    """A coding sheet that breaks a rule (line, field, value, what was expected)."""


def split_list(value) -> list[str]:
    """``"a; b"`` -> ``["a", "b"]``."""
    return [p.strip() for p in str(value or "").split(";") if p.strip()]


def _in_vocabulary(allowed: tuple[str, ...], required: bool):
    def check(series: pd.Series) -> pd.Series:
        return series.map(lambda v: (bool(split_list(v)) or not required) and all(x in allowed for x in split_list(v)))

    return check


def coding_schema() -> pa.DataFrameSchema:
    """The ``pandera`` schema of the coding sheet."""
    columns = {
        "accession": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "citation": pa.Column(str, pa.Check.str_length(min_value=1)),
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "journal": pa.Column(str, pa.Check.str_length(min_value=1)),
        "method": pa.Column(str, pa.Check.isin(METHODS)),
        "country": pa.Column(str, pa.Check.str_length(min_value=1)),
        "industry": pa.Column(str, pa.Check.str_length(min_value=1)),
        "pathway": pa.Column(str, pa.Check.isin(PATHWAYS)),
    }
    for name, allowed in VOCABULARY.items():
        required = name in REQUIRED_LISTS
        columns[name] = pa.Column(
            str,
            pa.Check(
                _in_vocabulary(allowed, required),
                element_wise=False,
                error=f"'; '-separated elements of: {', '.join(allowed)}" + (" (at least one)" if required else ""),
            ),
        )
    return pa.DataFrameSchema(columns, strict=False, coerce=True)


def validate_coding(
    sheet: pd.DataFrame,
    accession_to_id: dict[str, str] | None = None,
    included_ids: list[str] | None = None,
    file="coding_sheet.csv",
) -> pd.DataFrame:
    """Validate the sheet (schema, levels, coverage of the included set); return it typed.

    ``accession_to_id`` (every record's accession -> its unique ``record_id``) lets a row
    name any export's accession of an article; with ``included_ids`` the sheet must code
    each included article exactly once.

    Raises
    ------
    CodingError
        Naming the first failing line (as in the file: header = line 1), field and value.
    """
    missing = [c for c in COLUMNS if c not in sheet.columns]
    if missing:
        raise CodingError(f"{file}: missing column(s) {', '.join(missing)}")
    try:
        typed = coding_schema().validate(sheet, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        first = cases.iloc[0]
        idx = first["index"]
        line = f"line {int(idx) + 2}: " if pd.notna(idx) else ""
        value = (
            sheet.at[idx, first["column"]]
            if pd.notna(idx) and first["column"] in sheet.columns
            else first["failure_case"]
        )
        raise CodingError(
            f"{file}: {line}field {first['column']}: value {value!r} fails {first['check']} "
            f"({len(cases)} failure(s) in all)"
        ) from None
    for k, row in typed.iterrows():
        coded = {ANTECEDENTS[a] for a in split_list(row["antecedents"])} | {
            BOUNDARY_CONDITIONS[b] for b in split_list(row["boundary_conditions"])
        }
        if set(split_list(row["levels"])) != coded:
            raise CodingError(
                f"{file}: line {k + 2}: field levels: {row['levels']!r} but the coded antecedents and boundary "
                f"conditions sit at {sorted(coded, key=LEVELS.index)}"
            )
    if accession_to_id is not None:
        ids = []
        for k, acc in zip(typed.index, typed["accession"]):
            if acc not in accession_to_id:
                raise CodingError(
                    f"{file}: line {k + 2}: field accession: {acc!r} is not a record of any search export"
                )
            ids.append(accession_to_id[acc])
        typed.insert(0, "record_id", ids)
        dup = typed[typed["record_id"].duplicated()]
        if len(dup):
            raise CodingError(
                f"{file}: line {dup.index[0] + 2}: field accession: {dup.iloc[0]['accession']} codes the same "
                f"article ({dup.iloc[0]['record_id']}) as an earlier row"
            )
        if included_ids is not None:
            extra = typed[~typed["record_id"].isin(set(included_ids))]
            if len(extra):
                raise CodingError(
                    f"{file}: line {extra.index[0] + 2}: field accession: {extra.iloc[0]['accession']} is not an "
                    f"included article ({len(extra)} such rows)"
                )
            absent = sorted(set(included_ids) - set(typed["record_id"]))
            if absent:
                raise CodingError(f"{file}: {len(absent)} included article(s) not coded: {', '.join(absent[:5])}")
    return typed


@dataclass
class CodingTables:
    """Counts and cross-tabulations of the coding sheet."""

    elements: pd.DataFrame
    apmo_by_technology: pd.DataFrame
    pathway_by_outcome: pd.DataFrame
    pathways: pd.DataFrame
    per_year: pd.DataFrame
    per_journal: pd.DataFrame

    def summary(self) -> str:
        return f"{int(self.pathways['n_articles'].sum())} articles; pathways " + ", ".join(
            f"{r.pathway} {r.n_articles}" for r in self.pathways.itertuples()
        )


def _long(sheet: pd.DataFrame, column: str) -> pd.DataFrame:
    return pd.DataFrame(
        [(row.accession, x) for row in sheet.itertuples() for x in split_list(getattr(row, column))],
        columns=["accession", column],
    )


def coding_tables(sheet: pd.DataFrame) -> CodingTables:
    """Counts of articles per APMO element, APMO x technology group, pathway x outcome, per year and journal."""
    n = len(sheet)
    elements = []
    tech = _long(sheet, "technology_groups")
    cross = []
    for category in ("antecedents", "processes", "mediators", "outcomes", "boundary_conditions"):
        long = _long(sheet, category)
        for element in VOCABULARY[category]:
            arts = set(long.loc[long[category] == element, "accession"])
            level = ANTECEDENTS.get(element) or BOUNDARY_CONDITIONS.get(element) or ""
            elements.append(
                {
                    "category": category,
                    "element": element,
                    "level": level,
                    "n_articles": len(arts),
                    "share": len(arts) / n if n else 0.0,
                }
            )
            row = {"category": category, "element": element}
            row.update({g: len(arts & set(tech.loc[tech["technology_groups"] == g, "accession"])) for g in TECH_GROUPS})
            row["n_articles"] = len(arts)
            cross.append(row)
    outcomes = _long(sheet, "outcomes").merge(sheet[["accession", "pathway"]], on="accession")
    pw = pd.crosstab(outcomes["pathway"], outcomes["outcomes"]).reindex(
        index=list(PATHWAYS), columns=list(OUTCOMES), fill_value=0
    )
    pw.columns.name = None
    pw.insert(0, "n_articles", sheet["pathway"].value_counts().reindex(list(PATHWAYS), fill_value=0))
    pathways = (
        sheet["pathway"]
        .value_counts()
        .reindex(list(PATHWAYS), fill_value=0)
        .rename_axis("pathway")
        .reset_index(name="n_articles")
    )
    pathways["share"] = pathways["n_articles"] / n if n else 0.0
    per_year = sheet["year"].value_counts().sort_index().rename_axis("year").reset_index(name="n_articles")
    per_journal = (
        sheet["journal"]
        .value_counts()
        .rename_axis("journal")
        .reset_index(name="n_articles")
        .sort_values(["n_articles", "journal"], ascending=[False, True])
        .reset_index(drop=True)
    )
    return CodingTables(
        elements=pd.DataFrame(elements),
        apmo_by_technology=pd.DataFrame(cross),
        pathway_by_outcome=pw.rename_axis("pathway").reset_index(),
        pathways=pathways,
        per_year=per_year,
        per_journal=per_journal,
    )
