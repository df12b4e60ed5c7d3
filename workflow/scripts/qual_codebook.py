"""Snakemake script: the codebook table with the use of every code."""

from nero.outputs import log_to, write_csv
from nero.qual.analysis import codebook_table
from nero.qual.data import StudyData

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    study = StudyData.read(snakemake.input.selections, snakemake.input.cases, snakemake.input.project)
    write_csv(codebook_table(study.codebook, study.selections, snakemake.params.coder), snakemake.output[0])
