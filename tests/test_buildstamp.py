"""`make study` with nothing to do skips Snakemake only when no file, argument or variable changed."""

from __future__ import annotations

import os

import pytest

from nero.provenance.buildstamp import BEFORE, STAMP, check_stamp, main, outside_paths, tree_state, write_stamp

ARGS = ["--cores", "2", "--rerun-incomplete"]
ENV = {"PATH": "/usr/bin", "SNAKEMAKE_PROFILE": "", "HOME": "/root"}


def _checkout(root):
    (root / "config").mkdir(parents=True)
    (root / "config" / "config.yaml").write_text(
        "raw_dir: data/raw\ncodebook: config/codebook.yaml\n", encoding="utf-8"
    )
    (root / "config" / "codebook.yaml").write_text("items: []\n", encoding="utf-8")
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "raw" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (root / "Snakefile").write_text("rule all:\n", encoding="utf-8")
    return root


def _build(root, env=ENV, args=ARGS):
    """What `make study` does: check, (Snakemake writes results), write."""
    ok, _ = check_stamp(root, args, env)
    assert not ok
    (root / "results").mkdir(exist_ok=True)
    (root / "results" / "out.csv").write_text("y\n2\n", encoding="utf-8")
    (root / ".snakemake" / "metadata").mkdir(parents=True, exist_ok=True)
    (root / ".snakemake" / "metadata" / "cmVzdWx0cw").write_text("{}", encoding="utf-8")
    return write_stamp(root, args, env)


def _bump(path):
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))


@pytest.fixture
def built(tmp_path):
    root = _checkout(tmp_path / "study")
    assert _build(root) == root / STAMP
    return root


def test_no_stamp_means_run_and_records_the_inputs(tmp_path):
    root = _checkout(tmp_path / "study")
    ok, reason = check_stamp(root, ARGS, ENV)
    assert (ok, reason) == (False, "no complete build recorded")
    assert (root / BEFORE).is_file() and not (root / STAMP).exists()


def test_unchanged_checkout_is_up_to_date_and_stays_so(built):
    assert check_stamp(built, ARGS, ENV) == (True, "nothing changed since the last complete build")
    assert check_stamp(built, ARGS, ENV)[0]  # a check that passes writes nothing


@pytest.mark.parametrize(
    "rel", ["data/raw/a.csv", "config/config.yaml", "Snakefile", "results/out.csv", ".snakemake/metadata/cmVzdWx0cw"]
)
def test_a_touched_file_runs_snakemake_and_drops_the_stamp(built, rel):
    _bump(built / rel)
    ok, reason = check_stamp(built, ARGS, ENV)
    assert not ok and "changed" in reason
    assert not (built / STAMP).exists()
    _bump(built / rel)  # even back to a later time: the stamp is gone until a build succeeds
    assert not check_stamp(built, ARGS, ENV)[0]


def test_same_time_other_size_is_a_change(built):
    path = built / "data" / "raw" / "a.csv"
    info = path.stat()
    path.write_text("x\n10\n", encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert not check_stamp(built, ARGS, ENV)[0]


@pytest.mark.parametrize("change", ["new_output", "removed_output", "incomplete_marker", "lock", "new_source"])
def test_new_or_removed_files_run_snakemake(built, change):
    if change == "new_output":
        (built / "results" / "extra.csv").write_text("", encoding="utf-8")
    elif change == "removed_output":
        (built / "results" / "out.csv").unlink()
    elif change == "incomplete_marker":  # a killed run
        (built / ".snakemake" / "incomplete").mkdir()
        (built / ".snakemake" / "incomplete" / "cmVzdWx0cw").write_text("", encoding="utf-8")
    elif change == "lock":
        (built / ".snakemake" / "locks").mkdir()
        (built / ".snakemake" / "locks" / "0.input.lock").write_text("", encoding="utf-8")
    else:
        (built / "workflow").mkdir()
        (built / "workflow" / "new.smk").write_text("", encoding="utf-8")
    assert not check_stamp(built, ARGS, ENV)[0]


def test_snakemake_scratch_caches_and_venvs_are_not_inputs(built):
    for rel in (
        ".snakemake/log/run.log",
        ".snakemake/scripts/tmp1.py",
        "src/__pycache__/x.pyc",
        ".git/index",
        ".venv/lib/x.py",
        "env2/lib/y.py",
    ):
        path = built / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    (built / ".venv" / "pyvenv.cfg").write_text("home = /usr\n", encoding="utf-8")
    (built / "env2" / "pyvenv.cfg").write_text("home = /usr\n", encoding="utf-8")
    # src/ itself is new (an input folder), so compare the states rather than the stamp
    state = tree_state(built)
    assert "src/__pycache__/x.pyc" not in state and ".snakemake/log/run.log" not in state
    assert not any(k.startswith((".venv/", "env2/", ".git/", ".snakemake/scripts/")) for k in state)
    assert ".snakemake/metadata/cmVzdWx0cw" in state and "results/out.csv" in state


def test_arguments_and_snakemake_variables_count_other_variables_do_not(built):
    assert not check_stamp(built, ["--cores", "1", "--rerun-incomplete"], ENV)[0]
    assert _build(built) is not None
    assert check_stamp(built, ARGS, {**ENV, "HOME": "/elsewhere", "TERM": "xterm"})[0]
    assert not check_stamp(built, ARGS, {**ENV, "SNAKEMAKE_PROFILE": "profiles/slurm"})[0]
    assert _build(built) is not None
    assert not check_stamp(built, ARGS, {**ENV, "NERO_ANYTHING": "1"})[0]


def test_an_input_edited_while_snakemake_runs_leaves_no_stamp(tmp_path):
    root = _checkout(tmp_path / "study")
    assert not check_stamp(root, ARGS, ENV)[0]
    (root / "results").mkdir()
    (root / "results" / "out.csv").write_text("y\n", encoding="utf-8")
    _bump(root / "config" / "config.yaml")  # edited after Snakemake read it
    assert write_stamp(root, ARGS, ENV) is None
    assert not (root / STAMP).exists()
    assert not check_stamp(root, ARGS, ENV)[0]


def test_write_without_a_check_before_the_build_writes_nothing(tmp_path):
    root = _checkout(tmp_path / "study")
    assert write_stamp(root, ARGS, ENV) is None and not (root / STAMP).exists()


def test_a_config_path_outside_the_checkout_always_runs_snakemake(built, tmp_path):
    elsewhere = tmp_path / "real-data"
    elsewhere.mkdir()
    (built / "config" / "config.yaml").write_text(f"raw_dir: {elsewhere}\n", encoding="utf-8")
    assert _build(built) is not None
    ok, reason = check_stamp(built, ARGS, ENV)
    assert not ok and str(elsewhere) in reason


def test_outside_paths_finds_absolute_relative_and_linked_paths(tmp_path):
    root = _checkout(tmp_path / "study")
    (tmp_path / "other").mkdir()
    (root / "linked").symlink_to(tmp_path / "other")
    config = {
        "raw_dir": "data/raw",
        "a": [str(tmp_path / "other")],
        "b": {"c": "../other", "d": "linked"},
        "e": "not a path",
        "f": 3,
        "g": None,
    }
    assert outside_paths(config, root) == sorted([str(tmp_path / "other"), "../other", "linked"])
    assert outside_paths({"raw_dir": "data/raw", "x": "Snakefile"}, root) == []


def test_a_linked_folder_inside_is_walked_where_it_points(tmp_path):
    root = _checkout(tmp_path / "study")
    target = tmp_path / "store"
    target.mkdir()
    (target / "big.csv").write_text("1\n", encoding="utf-8")
    (root / "data" / "raw" / "store").symlink_to(target)
    (root / "data" / "raw" / "loop").symlink_to(root / "data")  # a loop is walked once
    assert _build(root) is not None
    assert check_stamp(root, ARGS, ENV)[0]
    _bump(target / "big.csv")
    assert not check_stamp(root, ARGS, ENV)[0]


def test_command_line_exit_codes(built, monkeypatch, capsys):
    monkeypatch.chdir(built)
    monkeypatch.setattr(os, "environ", dict(ENV))
    assert main(["check", *ARGS]) == 0
    assert "Nothing to be done" in capsys.readouterr().out
    assert main(["check", "--cores", "9"]) == 1
    assert main(["write", "--cores", "9"]) == 0
    assert main(["check", "--cores", "9"]) == 0
    assert main([]) == 2 and main(["nope"]) == 2
