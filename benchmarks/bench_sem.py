"""Benchmarks of nero.sem (printed, not asserted).

    OMP_NUM_THREADS=1 python benchmarks/bench_sem.py [--latent-draws 200] [--jobs N]

1. 5000 bootstrap draws of the observed-variable mediation (PROCESS model 4), which
   the issue wants under 1 s: vectorised count-weighted normal equations, no refits.
2. The latent bootstrap (engine refits: same estimator, rows and limits) over all cores with progress output.
3. Single fits: the six-construct CFA (complete data and FIML), the invariance levels,
   each analysis family (CPU seconds too: the machine is shared), the whole study.
4. ``--workflow``: the SEM stage through Snakemake in a copy of the workflow (data/ of
   this checkout): from a clean results/sem on 2 cores and on 1, and a no-op run;
   reports whether the tables are byte-identical across the runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "sem"))

from simdata import CODEBOOK, simulate_clean_table, simulate_process_data  # noqa: E402

from nero.sem import (  # noqa: E402
    bootstrap_coefficients,
    cfa_model_from_codebook,
    codebook_constructs,
    fit_cfa,
    latent_mediation,
    measurement_invariance,
    process_model4,
    run_sem_checks,
    run_sem_family,
)
from nero.sem.families import FAMILIES  # noqa: E402


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def workflow_timings() -> None:
    """The SEM stage through Snakemake in a temporary copy: clean -c2, clean -c1, no-op; byte identity."""
    import hashlib
    import shutil
    import subprocess
    import tempfile

    from nero.testing import REPO, copy_workflow

    targets = ["results/sem/summary.json", "results/sem/figures/path_diagram.png"]
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_workflow(Path(tmp) / "w")
        shutil.copytree(REPO / "data", work / "data")
        for stage in work.joinpath("workflow", "rules").glob("*.smk"):  # only the survey and SEM stages
            if stage.stem not in ("common", "audit", "survey", "sem"):
                stage.unlink()
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg")

        def smk(cores, *extra):
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "snakemake", f"-c{cores}", *extra, *targets],
                cwd=work,
                env=env,
                check=True,
                capture_output=True,
            )
            return time.perf_counter() - t

        smk(2, "results/survey/clean.csv")
        digests = []
        for cores in (2, 1, 2):
            shutil.rmtree(work / "results" / "sem", ignore_errors=True)
            el = smk(cores)
            files = sorted(p for p in (work / "results" / "sem").rglob("*") if p.is_file())
            digests.append({str(p.relative_to(work)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files})
            print(f"SEM stage from a clean results/sem, -c{cores}: {el:.1f} s wall ({len(files)} files)")
        print(f"no-op run: {smk(2):.2f} s wall (Snakemake startup included)")
        print(f"tables byte-identical across -c2, -c1, -c2: {digests[0] == digests[1] == digests[2]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--latent-draws", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--workflow", action="store_true", help="also time the Snakemake SEM stage in a copy")
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}")
    for n in (218, 1000):
        d = simulate_process_data(1, n=n)
        X = np.column_stack([np.ones(n), d["x"], d["cov1"]])
        Xy = np.column_stack([np.ones(n), d["x"], d["m"], d["cov1"]])
        t_boot = best_of(
            lambda X=X, Xy=Xy, d=d: bootstrap_coefficients([(X, d["m"].to_numpy()), (Xy, d["y"].to_numpy())], 5000, 1)
        )
        t_full = best_of(lambda d=d: process_model4(d, "x", "m", "y", ["cov1"], n_boot=5000, seed=1))
        print(
            f"observed mediation, n={n}: 5000 bootstrap draws {t_boot:.3f} s; "
            f"whole process_model4 (fits + bootstrap + intervals) {t_full:.3f} s"
        )
    clean = simulate_clean_table(3, n=218)
    factors = codebook_constructs(CODEBOOK)
    text = cfa_model_from_codebook(CODEBOOK)
    t = time.perf_counter()
    res = fit_cfa(clean, text)
    print(
        f"six-construct CFA (28 items, N=218) incl. delta-method standardised SEs: "
        f"{time.perf_counter() - t:.2f} s ({res.reason}, {res.n_iter} iterations)"
    )
    t = time.perf_counter()
    fit_cfa(clean, text, std_se=False)
    print(f"same CFA without standardised SEs: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    measurement_invariance(clean, factors, "wave", check_configural=False)
    print(f"invariance (configural, metric, scalar; own multi-group ML): {time.perf_counter() - t:.2f} s")
    missing = clean.copy()
    missing.loc[[3, 40, 77, 150], ["CAP2", "INST4", "SCO5", "VIRT1"]] = np.nan
    t = time.perf_counter()
    res = fit_cfa(missing, text)
    print(f"same CFA by FIML with 4 incomplete rows: {time.perf_counter() - t:.2f} s ({res.n_iter} iterations)")
    import resource

    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    print(f"load average (the machine is shared): {os.getloadavg()[0]:.1f}")
    for family in FAMILIES:
        t, c = time.perf_counter(), cpu()
        run_sem_family(family, clean, CODEBOOK, {}, seed=1)
        print(
            f"family {family:12s}: {time.perf_counter() - t:6.2f} s wall, {cpu() - c:6.2f} s CPU "
            "(this process and its fit workers)"
        )
    t = time.perf_counter()
    run_sem_checks(clean, CODEBOOK, {"second_order": {"NETAMB": ["INST", "VIRT"]}}, seed=1)
    print(f"run_sem_checks (every family in one process): {time.perf_counter() - t:.2f} s")
    if args.workflow:
        workflow_timings()
    if args.latent_draws:
        from nero.sem.settings import SemSettings
        from nero.sem.study import design_frame

        design, controls = design_frame(clean, SemSettings())
        data = clean.drop(columns=[c for c in controls if c in clean.columns]).join(design[["AMB", *controls]])
        t = time.perf_counter()
        lat = latent_mediation(
            data,
            "AMB",
            factors["CAP"],
            factors["SCO"],
            controls,
            "CAP",
            "SCO",
            n_boot=args.latent_draws,
            seed=1,
            n_jobs=args.jobs,
            progress=True,
        )
        el = time.perf_counter() - t
        row = lat.effects.set_index("effect").loc["indirect a*b"]
        print(
            f"latent bootstrap: {args.latent_draws} engine refits on {args.jobs} workers in {el:.1f} s "
            f"({el / args.latent_draws * 1000:.0f} ms per draw); failed {lat.boot_failed}; "
            f"a*b = {row['estimate']:.4f}, BC CI [{row['bc_lower']:.4f}, {row['bc_upper']:.4f}]"
        )


if __name__ == "__main__":
    main()
