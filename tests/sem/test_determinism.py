"""Byte-identical SEM outputs: the same input gives the same bytes whatever the string-hash
seed (set and dict order) and the BLAS thread count, in the library and in the CLI."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from simdata import CODEBOOK, simulate_clean_table

from nero.sem import run_sem_family, syntax
from nero.sem.study import write_family


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_family_tables_are_byte_identical_across_runs(tmp_path):
    clean = simulate_clean_table(7, n=220)
    clean.loc[[3, 50], "CAP2"] = float("nan")  # FIML path
    digests = []
    for run in range(2):
        out = tmp_path / f"run{run}"
        for family in ("measurement", "invariance"):
            res = run_sem_family(family, clean, CODEBOOK, {"n_boot": 200}, seed=3)
            write_family(res, out, [], out / "parts" / f"{family}.json")
        digests.append(_digest(out))
    assert digests[0] == digests[1] and "cfa_loadings.csv" in digests[0] and "invariance.csv" in digests[0]


def test_cli_output_is_byte_identical_whatever_the_hash_seed_and_threads(tmp_path):
    clean = simulate_clean_table(8, n=200)
    data = tmp_path / "clean.csv"
    clean.to_csv(data, index=False)
    model = tmp_path / "model.txt"
    factors = {k: v for k, v in syntax.codebook_constructs(CODEBOOK).items() if k in ("INST", "VIRT", "CAP")}
    model.write_text(syntax.measurement_syntax(factors))
    outputs = []
    for hashseed, threads in (("1", "1"), ("2", "2"), ("3", "2")):
        env = {**os.environ, "PYTHONHASHSEED": hashseed, "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads}
        proc = subprocess.run(
            [sys.executable, "-m", "nero", "sem", "cfa", str(data), "--model", str(model), "--json"],
            capture_output=True,
            env=env,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr.decode()[-2000:]
        assert b"graphviz" not in proc.stderr.lower() and b"graphviz" not in proc.stdout.lower()
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
