"""Snakemake script: import one survey wave (map to canonical names, drop privacy columns, validate)."""

import logging

from nero.outputs import log_to
from nero.survey.codebook import Codebook
from nero.survey.importer import import_wave
from nero.survey.pipeline import check_against_manifest, write_wave_table

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    check_against_manifest(list(snakemake.input.exports), snakemake.input.manifest)
    codebook = Codebook(dict(snakemake.params.codebook), source=snakemake.params.codebook_path)
    imported = import_wave(list(snakemake.input.exports), codebook, snakemake.wildcards.wave)
    logging.info(imported.summary())
    write_wave_table(imported, snakemake.output[0])
