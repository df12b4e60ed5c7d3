"""Snakemake script: write results/provenance.json (checksums, code version, software, command)."""

import json
import os
from pathlib import Path

from nero.provenance import provenance_record
from nero.outputs import atomic_write_text, log_to

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    raw_dir = Path(snakemake.config["raw_dir"])
    raw = {Path(p).relative_to(raw_dir).as_posix(): p for p in snakemake.input.raw}
    record = provenance_record(
        raw_files=raw,
        config_files=list(snakemake.input.config),
        code_files=list(snakemake.input.code),
        command=json.loads(os.environ.get("NERO_SNAKEMAKE_COMMAND", "null")),
        repo_dir=snakemake.scriptdir + "/../..",
    )
    record["seed"] = snakemake.config["seed"]
    atomic_write_text(snakemake.output[0], json.dumps(record, indent=2, sort_keys=True) + "\n")
