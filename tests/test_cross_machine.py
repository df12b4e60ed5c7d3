"""Same results on older machines: the numeric stages rebuilt under emulated older CPUs.

BLAS kernels (OpenBLAS picks one for the CPU at start-up) and numpy's SIMD loops (dispatched
by CPU feature) move results in their last bits from machine to machine. Each run here
rebuilds the numeric stages (survey, Study 1, literature review, SEM, fsQCA, integration,
claims: the target ``results/claims.csv``) of the shipped study in a subprocess that
emulates an older CPU, only downwards (a kernel the CPU lacks would crash):

- ``OPENBLAS_CORETYPE``: a kernel older than the one OpenBLAS picks on this machine
  (threadpoolctl reports it), e.g. Haswell, Sandybridge, Nehalem; never set when the
  environment sets it already (the machine's own choice is kept);
- ``NPY_DISABLE_CPU_FEATURES``: numpy's dispatch targets above what that CPU had (the
  AVX-512 groups for Haswell, also AVX2/FMA3 (``X86_V3``) for older ones; numpy cannot go
  below its x86-64-v2 baseline).

Each run first reports which kernel and which numpy targets are active (asserted), then every
reference table it rebuilt must equal ``results-reference/`` within the audit's tolerance,
with every boolean, verdict and text cell equal.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nero.provenance.comparison import ATOL, RTOL, compare_csv, compare_json
from nero.testing import copy_workflow, scheduler_args

pytestmark = [pytest.mark.slow, pytest.mark.study]

#: OpenBLAS x86-64 kernels from newest to oldest (its DYNAMIC_ARCH names); the rank of a
#: kernel is its generation, so kernels of one rank are alternatives (Zen is Haswell-class).
KERNEL_RANK = {
    "SapphireRapids": 0,
    "Cooperlake": 0,
    "SkylakeX": 0,
    "Haswell": 1,
    "Zen": 1,
    "Sandybridge": 2,
    "Nehalem": 3,
    "Core2": 4,
    "Prescott": 5,
}
#: The kernels this test emulates, oldest last.
EMULATED = ["Haswell", "Sandybridge", "Nehalem", "Core2"]
#: numpy dispatch targets each emulated CPU lacks (x86-64-v3 = AVX2/FMA3/F16C/BMI; v4 and the
#: AVX512_* groups = AVX-512). Nehalem has no AVX at all; numpy has no AVX-only target.
LACKS = {
    "Haswell": ["X86_V4", "AVX512_ICL", "AVX512_SPR", "AVX512F", "AVX512_SKX", "AVX512_CLX", "AVX512_CNL"],
    "Sandybridge": [
        "X86_V3",
        "X86_V4",
        "AVX512_ICL",
        "AVX512_SPR",
        "AVX2",
        "FMA3",
        "AVX512F",
        "AVX512_SKX",
        "AVX512_CLX",
        "AVX512_CNL",
    ],
}
LACKS["Nehalem"] = LACKS["Sandybridge"] + ["AVX", "F16C"]
LACKS["Core2"] = LACKS["Nehalem"]
#: The claims and the joint display (the claims read the fsQCA solutions directly, so the
#: integration stage is asked for by name).
TARGETS = ["results/claims.csv", "results/integration/joint_display.csv"]

PROBE = r"""
import json, numpy, scipy.linalg, threadpoolctl
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
print(json.dumps({"blas": sorted({(i.get("internal_api"), i.get("architecture")) for i in threadpoolctl.threadpool_info()
                                  if i.get("user_api") == "blas"}),
                  "dispatch": {f: bool(__cpu_features__.get(f)) for f in __cpu_dispatch__}}))
"""


def _probe(env: dict) -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _settings() -> list[tuple[str, dict]]:
    """(name, environment) of each emulated CPU older than this one (at least three)."""
    base = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg")
    for key in ("OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES"):
        base.pop(key, None)
    own = _probe(base)
    kernels = {arch for api, arch in own["blas"] if api == "openblas"}
    assert kernels, f"no OpenBLAS found by threadpoolctl: {own['blas']}"
    own_rank = min(KERNEL_RANK.get(k, 0) for k in kernels)
    available = {f for f, on in own["dispatch"].items() if on}
    fixed = os.environ.get("OPENBLAS_CORETYPE")  # the machine's own setting stays as it is
    chosen = []
    for kernel in EMULATED:
        if KERNEL_RANK[kernel] <= own_rank:
            continue
        env = dict(base)
        if fixed:
            env["OPENBLAS_CORETYPE"] = fixed
        else:
            env["OPENBLAS_CORETYPE"] = kernel
        disable = [f for f in LACKS[kernel] if f in available]
        if disable:
            env["NPY_DISABLE_CPU_FEATURES"] = " ".join(disable)
        chosen.append((kernel, env))
    return chosen[:3]


def test_emulated_older_cpus_are_real_and_older():
    """The settings do what they say: the kernel OpenBLAS reports is the emulated one (or an older
    fallback), and numpy's disabled dispatch targets are off."""
    settings = _settings()
    assert len(settings) >= 3, f"fewer than three kernels older than this machine's: {[s for s, _ in settings]}"
    for kernel, env in settings:
        active = _probe(env)
        archs = {arch for api, arch in active["blas"] if api == "openblas"}
        if "OPENBLAS_CORETYPE" not in os.environ:
            # OpenBLAS builds without the oldest kernels fall back to an older generic one (Katmai)
            assert archs == {kernel} or archs <= {"Katmai", "Prescott", "Core2", "Penryn"}, (kernel, archs)
        for feature in env.get("NPY_DISABLE_CPU_FEATURES", "").split():
            assert active["dispatch"][feature] is False, (kernel, feature)


def _compare_with_reference(reference: Path, results: Path) -> tuple[list[str], list[str]]:
    compared, failures = [], []
    for path in sorted(p for p in reference.rglob("*") if p.is_file()):
        rel = path.relative_to(reference).as_posix()
        rebuilt = results / rel
        if not rebuilt.is_file():
            continue  # not a numeric stage (manuscript tables, figures' data): not rebuilt here
        compare = compare_csv if rel.endswith(".csv") else compare_json
        reason, cells = compare(path, rebuilt, rel, RTOL, ATOL)
        compared.append(rel)
        if reason:
            failures.append(f"{rel}: {reason}: " + "; ".join(str(c) for c in cells[:5]))
    return compared, failures


def test_numeric_stages_reproduce_the_reference_on_emulated_older_cpus(repo_root, shipped_study, tmp_path):
    """Every reference table a run rebuilds equals results-reference/ within the audit's tolerance
    (booleans and text exactly), and the claims' verdicts, flags and figures equal those of the
    session's build on this machine's own kernels (the claims are not in the reference set)."""
    settings = _settings()
    assert len(settings) >= 3
    report = []
    for kernel, env in settings:
        work = copy_workflow(tmp_path / kernel)
        shutil.copytree(repo_root / "data" / "raw", work / "data" / "raw")
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "snakemake", "--cores", "2", *scheduler_args(2), *TARGETS],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        seconds = time.monotonic() - started
        assert proc.returncode == 0, f"{kernel}: {proc.stderr[-4000:]}"
        compared, failures = _compare_with_reference(repo_root / "results-reference", work / "results")
        report.append(
            f"{kernel} ({env.get('OPENBLAS_CORETYPE')}, numpy without {env.get('NPY_DISABLE_CPU_FEATURES')}):"
            f" {len(compared)} reference tables compared in a {seconds:.0f} s build"
        )
        assert not failures, f"{kernel}:\n" + "\n".join(failures)
        for stage in ("survey/", "sem/", "fsqca/", "study1/", "slr/", "integration/"):
            assert any(rel.startswith(stage) for rel in compared), f"{kernel}: no {stage} table compared"
        for name in ("claims.csv", "claims.json"):
            compare = compare_csv if name.endswith(".csv") else compare_json
            reason, cells = compare(shipped_study / "results" / name, work / "results" / name, name, RTOL, ATOL)
            assert reason is None, f"{kernel}: {name}: {reason}: " + "; ".join(map(str, cells[:5]))
        shutil.rmtree(work)
    print("\n".join(report))
