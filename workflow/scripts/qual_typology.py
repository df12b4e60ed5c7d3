"""Snakemake script: axis scores, archetype of every case, exemplar quotes and the case summary table."""

import logging

from nero.outputs import log_to, write_csv
from nero.qual.data import StudyData
from nero.qual.typology import TypologyRule, assign_archetypes, axis_scores, case_summary_table, exemplar_quotes

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    study = StudyData.read(snakemake.input.selections, snakemake.input.cases, snakemake.input.project)
    rule = TypologyRule.from_config(snakemake.params.typology, snakemake.params.coder)
    result = assign_archetypes(axis_scores(study.selections, study.cases, rule), rule)
    logging.info(result.summary())
    exemplars = snakemake.params.exemplars
    quotes = exemplar_quotes(
        study.selections, result.table, rule, per_archetype=exemplars["per_archetype"], per_case=exemplars["per_case"]
    )
    summary = case_summary_table(result.table, study.cases, study.selections, rule)
    write_csv(result.table, snakemake.output.typology)
    write_csv(quotes, snakemake.output.quotes)
    write_csv(summary, snakemake.output.summary)
