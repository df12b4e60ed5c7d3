"""Snakemake script: code co-occurrence (overlapping segments within a source)."""

from nero.outputs import log_to, write_csv
from nero.qual.analysis import code_cooccurrence
from nero.qual.data import StudyData

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    study = StudyData.read(snakemake.input.selections, snakemake.input.cases, snakemake.input.project)
    write_csv(code_cooccurrence(study.selections, study.codebook, snakemake.params.coder), snakemake.output[0])
