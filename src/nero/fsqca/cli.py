"""``nero fsqca``: calibrate, necessity, truth-table and minimize on a CSV of cases.

The CSV has one row per case; a first column without a name (or with text labels) holds
the case labels, or ``--id COLUMN`` names the label column (a numeric ID such as
``Deal_ID``). Without either, cases are labelled by their data-row numbers (1, 2, ...) and
a note says so. Expressions use R QCA's notation (``A*~B + C``).
"""

from __future__ import annotations

import argparse
import warnings

from nero.console import UserError, add_json_flag, emit


def _read(args: argparse.Namespace):
    """The cases table of ``args.data``, labelled by ``args.id`` when given (a note when labels are row numbers)."""
    from nero.fsqca._data import read_table

    path, id_column = args.data, getattr(args, "id", None)
    try:
        if id_column is None:
            df = read_table(path)
        else:
            df = _labelled(read_table(path, index_col=None), id_column, path)
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except (OSError, ValueError) as exc:
        raise UserError(f"{path}: cannot read the CSV ({exc})") from None
    if id_column is None and df.index.name is None and list(df.index) == [str(i) for i in range(1, len(df) + 1)]:
        import csv

        with open(path, newline="", encoding="utf-8-sig") as handle:
            first = (next(csv.reader(handle), [""]) or [""])[0]
        if first.strip():  # not an unnamed label column holding 1, 2, ...
            _print_notes(
                [
                    f"cases are labelled by their data-row numbers 1-{len(df)} (no label column found: the first "
                    f"column {first!r} is numeric); name an ID column with --id COLUMN"
                ]
            )
    return df


def _labelled(df, column: str, path: str):
    """``df`` indexed by ``column`` (its values as text), refusing an unknown column or repeated IDs."""
    if column not in df.columns:
        raise UserError(f"{path}: --id {column!r}: no such column (columns: {', '.join(map(str, df.columns))})")
    ids = df[column].to_list()  # file row of a case = its position + 2 (the header is row 1)
    empty = [str(p + 2) for p, v in enumerate(ids) if v != v]
    if empty:
        raise UserError(
            f"{path}: --id {column!r}: empty ID in row(s) {', '.join(empty)}; expected an ID for every case"
        )
    labels = [str(int(v)) if isinstance(v, float) and v.is_integer() else str(v) for v in ids]
    repeated = [v for v in dict.fromkeys(labels) if labels.count(v) > 1]
    if repeated:
        rows = "; ".join(
            f"{v!r} in rows {', '.join(str(p + 2) for p, x in enumerate(labels) if x == v)}" for v in repeated
        )
        raise UserError(f"{path}: --id {column!r}: repeated ID(s): {rows}; expected one row per case")
    out = df.drop(columns=[column])
    out.index = labels
    out.index.name = column
    return out


def _names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [p.strip() for p in text.split(",") if p.strip()]


def _exclude(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


def _float_list(text: str, what: str) -> list[float]:
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise UserError(f"{what} {text!r}: expected numbers separated by commas") from None


def _run(func, *args, **kwargs):
    from nero.fsqca._errors import FsqcaError

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = func(*args, **kwargs)
        except FsqcaError as exc:
            raise UserError(str(exc)) from None
    notes = [str(w.message) for w in caught]
    return result, notes


def _print_notes(notes: list[str]) -> None:
    import sys

    for n in notes:
        print(f"nero: note: {n}", file=sys.stderr)


# --------------------------------------------------------------------------- commands


def _calibrate(args: argparse.Namespace) -> int:
    from nero.fsqca.calibration import calibrate

    df = _read(args)
    anchors = {}
    for spec in args.anchors:
        if "=" not in spec:
            raise UserError(f"--anchors {spec!r}: expected COLUMN=exclusion,crossover,inclusion")
        col, vals = spec.split("=", 1)
        anchors[col.strip()] = _float_list(vals, f"--anchors {col.strip()}")
    result, notes = _run(
        calibrate,
        df,
        anchors,
        convention=args.convention,
        percentile=args.percentile,
        function=args.function,
        half=args.half,
        half_shift=args.half_shift,
        keep=args.keep,
    )
    _print_notes(notes)
    shown = result.round(args.digits) if args.digits is not None else result
    if args.output:
        shown.to_csv(args.output)
    payload = {
        "anchors": {k: list(v) for k, v in anchors.items()},
        "convention": args.convention,
        "half_membership": result.attrs.get("half_membership"),
        "output": args.output,
        "data": [
            {"case": str(i), **{str(c): (None if v != v else float(v)) for c, v in row.items()}}
            for i, row in shown.iterrows()
        ],
    }
    text = f"wrote {args.output}" if args.output else shown.to_string()
    emit(payload, args.json, text)
    return 0


def _necessity(args: argparse.Namespace) -> int:
    from nero.fsqca.necessity_analysis import necessity, superset_necessity
    from nero.fsqca.skewness_check import skewness

    df = _read(args)
    conds = _names(args.conditions)
    if args.superset:
        res, notes = _run(
            superset_necessity,
            df,
            args.outcome,
            conds,
            incl_cut=args.incl_cut,
            cov_cut=args.cov_cut,
            ron_cut=args.ron_cut,
            max_terms=args.max_terms,
            negations=not args.no_negations,
        )
    else:
        res, notes = _run(necessity, df, args.outcome, conds, negations=not args.no_negations)
    _print_notes(notes)
    skew, _ = _run(
        skewness,
        df,
        list(conds or [c for c in df.columns if c != args.outcome.lstrip("~")]) + [args.outcome.lstrip("~")],
    )
    payload = res.to_dict()
    payload["skewness"] = [
        {"set": s, **{k: (bool(v) if k == "skewed" else float(v)) for k, v in r.items()}}
        for s, r in skew.table.iterrows()
    ]
    emit(payload, args.json, res.summary() + "\n\n" + skew.summary())
    return 0


def _tt_kwargs(args: argparse.Namespace) -> dict:
    incl = args.incl_cut if args.incl_cut0 is None else (args.incl_cut, args.incl_cut0)
    return dict(incl_cut=incl, n_cut=args.n_cut, pri_cut=args.pri_cut, half=args.half, half_shift=args.half_shift)


def _truth_table(args: argparse.Namespace) -> int:
    from nero.fsqca.truthtable import truth_table

    df = _read(args)
    tt, notes = _run(
        truth_table, df, args.outcome, _names(args.conditions), exclude=_exclude(args.exclude), **_tt_kwargs(args)
    )
    _print_notes(notes)
    payload = tt.to_dict()
    text = tt.summary()
    if args.complete:
        full, _ = _run(tt.to_frame, complete=True)
        text = full.to_string()
        payload["rows_complete"] = [
            {"row": int(i), **{c: (int(r[c]) if c in tt.conditions else r[c]) for c in tt.conditions + ["OUT", "n"]}}
            for i, r in full.iterrows()
        ]
    emit(payload, args.json, text)
    return 0


def _minimize(args: argparse.Namespace) -> int:
    from nero.fsqca.minimization import minimize
    from nero.fsqca.truthtable import truth_table

    df = _read(args)
    tt, notes = _run(truth_table, df, args.outcome, _names(args.conditions), **_tt_kwargs(args))
    kinds = (
        _names(args.solution)
        if args.solution
        else ["conservative", "parsimonious"] + (["intermediate"] if args.dir_exp else [])
    )
    for k in kinds:
        if k not in ("conservative", "complex", "parsimonious", "intermediate"):
            raise UserError(f"--solution {k!r}: expected conservative, parsimonious or intermediate")
    if "intermediate" in kinds and not args.dir_exp:
        raise UserError("the intermediate solution needs --dir-exp (e.g. --dir-exp A,~B)")
    sols = {}
    for k in kinds:
        sol, more = _run(
            minimize,
            tt,
            k,
            dir_exp=_names(args.dir_exp) if k == "intermediate" else None,
            exclude=_exclude(args.exclude),
            max_models=args.max_models,
        )
        notes += more
        sols[sol.kind] = sol
    _print_notes(notes)
    payload = {
        "outcome": tt.outcome,
        "conditions": tt.conditions,
        "settings": {
            "incl_cut": tt.incl_cut,
            "incl_cut0": tt.incl_cut0,
            "n_cut": tt.n_cut,
            "pri_cut": tt.pri_cut,
            "dir_exp": _names(args.dir_exp),
            "exclude": _exclude(args.exclude),
            "max_models": args.max_models,
        },
        "half_membership": tt.half.to_dict(),
        "truth_table": tt.to_dict()["rows"],
        "solutions": {k: s.to_dict() for k, s in sols.items()},
    }
    text = "\n\n".join([tt.summary()] + [s.summary() for s in sols.values()])
    emit(payload, args.json, text)
    return 0


# --------------------------------------------------------------------------- parsers


def _data_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", metavar="DATA.csv", help="cases by sets; an unnamed first column holds case labels")
    p.add_argument(
        "--id",
        default=None,
        metavar="COLUMN",
        help="column holding the case labels (e.g. a numeric Deal_ID); it is not a set",
    )


def _tt_args(p: argparse.ArgumentParser, outcome_help: str = "outcome column (~Y for its negation)") -> None:
    p.add_argument("--outcome", required=True, help=outcome_help)
    p.add_argument("--conditions", default=None, help="conditions, comma separated (default: every other column)")
    p.add_argument("--incl-cut", type=float, required=True, help="consistency cut for OUT = 1")
    p.add_argument(
        "--incl-cut0",
        type=float,
        default=None,
        help="second, lower consistency cut: rows in [incl-cut0, incl-cut) become contradictions (C)",
    )
    p.add_argument("--n-cut", type=int, default=1, help="frequency cut (default 1)")
    p.add_argument("--pri-cut", type=float, default=0.0, help="PRI cut for OUT = 1 (default 0)")
    _half_args(p)


def _half_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--half",
        choices=("shift", "fail", "keep"),
        default="shift",
        help="memberships of exactly 0.5: shift them by --half-shift and report (default), fail, or keep and report",
    )
    p.add_argument("--half-shift", type=float, default=0.001, help="constant added under --half shift (default 0.001)")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nero fsqca`` and its sub-commands."""
    group = subparsers.add_parser(
        "fsqca",
        help="fuzzy-set QCA: calibration, necessity, truth tables, exact minimization",
        description="Fuzzy-set qualitative comparative analysis on any CSV of cases by sets "
        "(memberships) or raw values. Expressions use R QCA's notation: A*~B + C.",
    )
    group.set_defaults(_parser=group)
    sub = group.add_subparsers(dest="fsqca_command", metavar="COMMAND")

    p = sub.add_parser(
        "calibrate",
        help="calibrate raw values into set memberships (direct method)",
        description="Direct calibration with three anchors (exclusion, crossover, inclusion) "
        "or six (bell shape), per column.",
    )
    _data_arg(p)
    p.add_argument(
        "--anchors",
        action="append",
        required=True,
        metavar="COL=E,C,I",
        help="column and its anchors; repeat for every column (six values for a bell shape)",
    )
    p.add_argument(
        "--convention",
        choices=("ragin", "exact"),
        default="ragin",
        help="inclusion anchor at log-odds 3 = 0.9526 (ragin, default) or at exactly 0.95 (exact, R's default)",
    )
    p.add_argument("--percentile", action="store_true", help="read the anchors as percentiles (0-100) of the column")
    p.add_argument("--function", choices=("logistic", "linear"), default="logistic", help="membership function")
    p.add_argument("--keep", action="store_true", help="also output the columns not calibrated")
    p.add_argument("--digits", type=int, default=None, help="round the memberships (e.g. 2)")
    p.add_argument("--output", default=None, help="write the memberships to this CSV")
    _half_args(p)
    add_json_flag(p)
    p.set_defaults(func=_calibrate)

    p = sub.add_parser(
        "necessity",
        help="necessity of conditions (inclN, RoN, covN) and superset search",
        description="Necessity figures of every condition and its negation; with --superset, "
        "disjunctions of literals meeting the cut-offs (like R QCA's superSubset).",
    )
    _data_arg(p)
    p.add_argument("--outcome", required=True, help="outcome column (~Y for its negation)")
    p.add_argument("--conditions", default=None, help="conditions, comma separated (default: every other column)")
    p.add_argument("--no-negations", action="store_true", help="leave out the negated conditions")
    p.add_argument("--superset", action="store_true", help="search disjunctions (A + ~B) that are necessary")
    p.add_argument("--incl-cut", type=float, default=0.9, help="superset search: minimum inclN (default 0.9)")
    p.add_argument("--cov-cut", type=float, default=0.0, help="superset search: minimum covN (default 0)")
    p.add_argument("--ron-cut", type=float, default=0.0, help="superset search: minimum RoN (default 0)")
    p.add_argument("--max-terms", type=int, default=None, help="superset search: most literals in a disjunction")
    add_json_flag(p)
    p.set_defaults(func=_necessity)

    p = sub.add_parser(
        "truth-table",
        help="build the truth table",
        description="Rows with n, cases, incl, PRI and OUT (1 / 0 / C / ?).",
    )
    _data_arg(p)
    _tt_args(p)
    p.add_argument(
        "--exclude",
        action="append",
        default=None,
        metavar="ROW|EXPR",
        help="remainders declared untenable: R row numbers or expressions (comma separated or repeated)",
    )
    p.add_argument("--complete", action="store_true", help="also list every remainder")
    add_json_flag(p)
    p.set_defaults(func=_truth_table)

    p = sub.add_parser(
        "minimize",
        help="exact minimization: conservative, parsimonious, intermediate",
        description="Truth table and exact minimization; lists all tied minimal models with the "
        "fit of every term and model.",
    )
    _data_arg(p)
    _tt_args(p)
    p.add_argument(
        "--dir-exp", default=None, metavar="A,~B,...", help="directional expectations; adds the intermediate solution"
    )
    p.add_argument(
        "--solution",
        default=None,
        help="solutions to compute, comma separated (default: conservative,parsimonious "
        "and intermediate with --dir-exp)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        default=None,
        metavar="ROW|EXPR",
        help="remainders never used as simplifying assumptions: R row numbers or expressions "
        "(comma separated or repeated)",
    )
    p.add_argument("--max-models", type=int, default=1000, help="list at most this many tied models (default 1000)")
    add_json_flag(p)
    p.set_defaults(func=_minimize)
