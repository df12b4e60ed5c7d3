"""Snakemake script: code frequencies by case and the case-by-theme matrix."""

from nero.outputs import log_to, write_csv
from nero.qual.analysis import case_theme_matrix, code_frequencies
from nero.qual.data import StudyData

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    study = StudyData.read(snakemake.input.selections, snakemake.input.cases, snakemake.input.project)
    coder = snakemake.params.coder
    frequencies = code_frequencies(study.selections, study.codebook, study.cases, coder)
    matrix = case_theme_matrix(study.selections, study.codebook, study.cases, coder)
    write_csv(frequencies, snakemake.output.frequencies)
    write_csv(matrix, snakemake.output.matrix)
