"""Snakemake script: fail, naming every changed, missing or extra file, unless data/raw (or one part of it) matches its manifest."""

import json
import logging
from pathlib import Path

from nero.outputs import atomic_write_text, log_to
from nero.provenance import RawDataChanged, verify_manifest

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    manifest = Path(snakemake.input.manifest)
    part = getattr(snakemake.wildcards, "part", None)  # verify_raw_part checks one sub-folder
    check = verify_manifest(manifest.parent, manifest, part=part)
    logging.info(check.summary())
    if not check.ok:
        raise RawDataChanged(check.summary())
    atomic_write_text(snakemake.output[0], json.dumps(check.to_dict(), indent=2, sort_keys=True) + "\n")
