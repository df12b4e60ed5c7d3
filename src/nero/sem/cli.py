"""``nero sem``: CFA, PROCESS models and the study's SEM checks from the command line.

    nero sem cfa DATA.csv --model MODEL.txt [--missing fiml|listwise] [--estimator ML|MLR] [--json]
    nero sem process DATA.csv --model {1,4,7,8,14,15,58} --x X --m M --y Y [--w W] [--cov A,B]
                     [--hc ols|hc0|hc1|hc2|hc3|hc4] [--boot 5000] [--seed 1] [--json]

Every command runs with one BLAS thread (:func:`nero.sem._common.single_thread`): the
output does not depend on the core count and a CLI call does not take every core.
    nero sem checks CLEAN.csv --codebook CODEBOOK.yaml [--config CONFIG.yaml] [--seed S] --out DIR
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ._common import SemInputError


def _read_csv(path: str):
    import pandas as pd

    from nero.console import UserError

    p = Path(path)
    if not p.is_file():
        raise UserError(f"{path}: no such file (a CSV file with a header row is expected)")
    try:
        data = pd.read_csv(p)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the user's file
        raise UserError(f"{path}: cannot be read as CSV ({exc})") from exc
    if data.empty:
        raise UserError(f"{path}: no data rows (a header row and at least one data row are expected)")
    return data


def _user_error(path: str, exc: Exception):
    from nero.console import UserError

    return UserError(f"{path}: {exc}")


def _cmd_cfa(args: argparse.Namespace) -> int:
    from nero.console import UserError, emit

    from .cfa import fit_cfa
    from .reliability import fornell_larcker, htmt, reliability_table

    data = _read_csv(args.data)
    mpath = Path(args.model)
    if not mpath.is_file():
        raise UserError(f"{args.model}: no such model file (lavaan syntax expected)")
    text = mpath.read_text(encoding="utf-8")
    from .ram import check_syntax

    try:
        check_syntax(text)
    except SemInputError as exc:
        raise _user_error(args.model, exc) from exc
    try:
        res = fit_cfa(
            data,
            text,
            time_limit=args.time_limit,
            max_iter=args.max_iter,
            name=mpath.name,
            missing=args.missing,
            estimator=args.estimator,
        )
        factors = {f: i for f, i in res.factors.items() if all(x in data.columns for x in i) and len(i) >= 2}
        rel = reliability_table(res, data, factors) if res.ok and factors else None
        fl = fornell_larcker(res, rel) if rel is not None and len(factors) > 1 else None
        ht = htmt(data, factors) if len(factors) > 1 else None
    except SemInputError as exc:
        raise _user_error(args.data, exc) from exc
    payload = {
        "model": str(mpath),
        "data": args.data,
        "converged": res.converged,
        "reason": res.reason,
        "n_obs": res.n_obs,
        "n_iter": res.n_iter,
        "fit": res.fit,
        "standardised_loadings": res.loadings(),
        "heywood": res.heywood,
        "reliability": rel if rel is not None else [],
        "fornell_larcker": fl.to_frame() if fl else [],
        "htmt": ht.to_frame() if ht else [],
        "missing": res.missing,
        "estimator": res.estimator,
        "notes": "ML with lavaan's conventions (nero.sem.ml; FIML unless --missing listwise); RMSEA with N, "
        "its 90% CI and SRMR computed with lavaan's definitions; "
        "CR and AVE from standardised loadings (Fornell & Larcker 1981)",
    }
    text_out = res.summary()
    if rel is not None:
        from ._common import frame_text

        text_out += "\n\nReliability (alpha: Cronbach 1951; CR, AVE: Fornell & Larcker 1981)\n"
        text_out += frame_text(rel[["construct", "n_items", "alpha", "cr", "ave", "sqrt_ave"]])
    if fl is not None:
        text_out += "\n\n" + fl.summary()
    if ht is not None:
        text_out += "\n\n" + ht.summary()
    emit(payload, args.json, text_out)
    return 0 if res.converged else 1


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def _cmd_process(args: argparse.Namespace) -> int:
    from nero.console import UserError, emit

    from .process_models import process

    data = _read_csv(args.data)
    if args.boot < 0:
        raise UserError("--boot must be >= 0")
    ms = _split(args.m)
    if args.model != 1 and not ms:
        raise UserError(f"process model {args.model}: --m (mediator, or several separated by commas) is required")
    try:
        res = process(
            data,
            args.model,
            args.x,
            args.y,
            m=ms,
            w=args.w,
            covariates=_split(args.cov),
            n_boot=args.boot,
            seed=args.seed,
            conf=args.conf,
            se_type=args.hc,
        )
    except SemInputError as exc:
        raise _user_error(args.data, exc) from exc
    emit(res.to_dict(), args.json, res.summary())
    return 0


def _cmd_checks(args: argparse.Namespace) -> int:
    import yaml

    from nero.console import UserError, emit
    from nero.survey.codebook import Codebook
    from nero.survey.errors import CodebookError

    from .settings import SemSettings
    from .study import run_sem_checks

    data = _read_csv(args.data)
    try:
        codebook = Codebook.load(args.codebook)
    except CodebookError as exc:  # names the file and every problem
        raise UserError(str(exc)) from exc
    settings = {}
    seed = args.seed
    if args.config:
        try:
            cfg = yaml.safe_load(Path(args.config).read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise UserError(f"{args.config}: cannot be read ({exc})") from exc
        settings = cfg.get("sem", {}) or {}
        if seed is None:
            seed = cfg.get("seed")
    try:
        settings = SemSettings.from_config(settings)
    except SemInputError as exc:
        raise UserError(f"{args.config}: {exc}") from exc
    try:
        res = run_sem_checks(data, codebook, settings, seed=int(seed or 0))
    except SemInputError as exc:
        raise _user_error(args.data, exc) from exc
    files = res.write(args.out)
    emit(
        {
            "out": args.out,
            "files": [p.name for p in files],
            "headline": res.info["headline"],
            "all_converged": res.info["all_converged"],
        },
        args.json,
        res.summary(),
    )
    return 0


def _single_threaded(func):
    """Run a command with one BLAS thread (same bytes on any machine, no CPU oversubscription)."""

    def run(args: argparse.Namespace) -> int:
        from ._common import single_thread

        with single_thread():
            return func(args)

    run.__name__ = func.__name__
    return run


def register(subparsers) -> argparse.ArgumentParser:
    """Add ``nero sem`` with the ``cfa``, ``process`` and ``checks`` leaves."""
    from nero.console import add_json_flag

    parser = subparsers.add_parser(
        "sem",
        help="CFA, reliability, PROCESS mediation/moderation, SEM checks",
        description="Measurement model and SEM robustness checks (nero.sem).",
    )
    parser.set_defaults(_parser=parser)
    sub = parser.add_subparsers(dest="sem_command", metavar="COMMAND")

    cfa = sub.add_parser(
        "cfa",
        help="fit a CFA (lavaan syntax) by ML: fit indices, loadings, reliability",
        description="Fit a CFA/SEM written in lavaan syntax by maximum likelihood (FIML by default) "
        "under a time limit; print fit indices, standardised loadings, "
        "reliability, Fornell-Larcker and HTMT.",
    )
    cfa.add_argument("data", help="CSV file with one column per observed variable")
    cfa.add_argument("--model", required=True, help="model file in lavaan syntax (F =~ x1 + x2 + ...)")
    cfa.add_argument("--time-limit", type=float, default=120.0, help="seconds before the fit is abandoned")
    cfa.add_argument("--max-iter", type=int, default=10000, help="optimiser iteration limit")
    cfa.add_argument(
        "--missing",
        choices=["fiml", "listwise"],
        default="fiml",
        help="fiml: every row with data (lavaan missing='ml'); listwise: complete rows only",
    )
    cfa.add_argument(
        "--estimator",
        choices=["ML", "MLR"],
        default="ML",
        help="MLR: robust (Huber-White) SEs, Yuan-Bentler scaled chi2, robust CFI/TLI/RMSEA as lavaan",
    )
    add_json_flag(cfa)
    cfa.set_defaults(func=_single_threaded(_cmd_cfa))

    proc = sub.add_parser(
        "process",
        help="PROCESS models 1, 4, 7, 8, 14, 15, 58 (bootstrap CIs)",
        description="Hayes' PROCESS models with OLS, the standard errors named by --hc, and "
        "bias-corrected and percentile bootstrap intervals.",
    )
    proc.add_argument("data", help="CSV file")
    proc.add_argument("--model", type=int, required=True, choices=[1, 4, 7, 8, 14, 15, 58])
    proc.add_argument("--x", required=True, help="focal predictor X")
    proc.add_argument("--m", help="mediator(s), comma-separated (model 1: the moderator, as in PROCESS 2)")
    proc.add_argument("--y", required=True, help="outcome Y")
    proc.add_argument("--w", help="moderator W (models 1, 7, 8, 14, 15, 58)")
    proc.add_argument(
        "--hc",
        default="hc3",
        type=str.lower,
        choices=["ols", "hc0", "hc1", "hc2", "hc3", "hc4"],
        help="standard errors as PROCESS' hc option names them (default hc3, as PROCESS 2.16; "
        "PROCESS 3+ defaults to ols)",
    )
    proc.add_argument("--cov", help="covariates, comma-separated")
    proc.add_argument("--boot", type=int, default=5000, help="bootstrap draws (default 5000)")
    proc.add_argument("--seed", type=int, default=1, help="bootstrap seed (default 1)")
    proc.add_argument("--conf", type=float, default=0.95, help="confidence level (default 0.95)")
    add_json_flag(proc)
    proc.set_defaults(func=_single_threaded(_cmd_process))

    chk = sub.add_parser(
        "checks",
        help="all SEM checks of the study; tables under --out",
        description="Run every measurement and robustness check on the clean survey table.",
    )
    chk.add_argument("data", help="clean survey table (results/survey/clean.csv)")
    chk.add_argument("--codebook", required=True, help="config/codebook.yaml")
    chk.add_argument("--config", help="config.yaml (its 'sem' section and 'seed' are used)")
    chk.add_argument("--seed", type=int, default=None, help="bootstrap seed (default: the config's seed)")
    chk.add_argument("--out", default=os.path.join("results", "sem"), help="output folder (default results/sem)")
    add_json_flag(chk)
    chk.set_defaults(func=_single_threaded(_cmd_checks))
    return parser
