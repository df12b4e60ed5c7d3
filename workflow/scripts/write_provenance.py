"""Snakemake script: write results/provenance.json (checksums, code version, software, command)."""

import json
import os
from pathlib import Path

from nero.outputs import atomic_write_text, log_to
from nero.provenance import provenance_record
from nero.provenance.record import library_checkout, library_files, library_name

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    raw_dir = Path(snakemake.config["raw_dir"])
    raw = {Path(p).relative_to(raw_dir).as_posix(): p for p in snakemake.input.raw}
    # The code that ran: the imported library (under its names in the repository) and this
    # workflow's files, so an audit's rebuild in a scratch copy fingerprints the same code;
    # the commit is that of the library's checkout (a scratch copy has no .git).
    workflow_files = {p: p for p in snakemake.input.code if library_name(p) is None}
    checkout = library_checkout()
    record = provenance_record(
        raw_files=raw,
        config_files=list(snakemake.input.config),
        code_files={**library_files(), **workflow_files},
        command=json.loads(os.environ.get("NERO_SNAKEMAKE_COMMAND", "null")),
        repo_dir=checkout if checkout is not None else snakemake.scriptdir + "/../..",
    )
    record["seed"] = snakemake.config["seed"]
    atomic_write_text(snakemake.output[0], json.dumps(record, indent=2, sort_keys=True) + "\n")
