"""The `nero` command: help everywhere, and an error (not a traceback) for bad input."""

import subprocess
import sys

import pytest

from nero.cli import build_parser


def _leaf_commands():
    """Every (group, leaf) pair that the installed subpackages register."""
    parser = build_parser()
    groups = parser._subparsers._group_actions[0].choices
    pairs = []
    for name, group in groups.items():
        leaves = [a for a in group._actions if a.__class__.__name__ == "_SubParsersAction"]
        if leaves:
            pairs += [(name, leaf) for leaf in leaves[0].choices]
        else:
            pairs.append((name, None))
    return pairs


def _help(argv, capsys):
    """``nero ARGV`` in this process: (exit status, what it printed)."""
    from nero.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


def test_top_level_help_lists_commands(capsys):
    status, out, err = _help(["--help"], capsys)
    assert status == 0, err
    assert "provenance" in out


@pytest.mark.parametrize("group,leaf", _leaf_commands())
def test_every_command_has_help(group, leaf, capsys):
    argv = [group] + ([leaf] if leaf else []) + ["--help"]
    status, out, err = _help(argv, capsys)
    assert status == 0, err
    assert "usage: nero" in out


def test_command_table_matches_what_the_modules_register():
    """`nero --help` is built from COMMANDS without importing the stages: its names, modules
    and help texts must be the ones the modules register."""
    import argparse
    import importlib

    from nero.cli import COMMAND_MODULES, COMMANDS

    registered = []
    for module in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(module).register(sub)
        registered += [(action.dest, module, action.help) for action in sub._choices_actions]
    assert registered == COMMANDS


@pytest.mark.parametrize(
    "argv,loaded",
    [
        (["--help"], set()),
        (["provenance", "--help"], {"nero.provenance"}),
        (["status", "--help"], {"nero.provenance"}),
        (["fsqca", "--help"], {"nero.fsqca"}),
    ],
)
def test_a_command_imports_only_its_own_stage(argv, loaded):
    """`nero CMD` imports CMD's stage and no other (each takes 1-4 s to import)."""
    code = (
        "import sys\n"
        "from nero.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "stages = ['nero.' + s for s in ('simulate', 'slr', 'qual', 'survey', 'sem', 'fsqca', 'provenance', 'claims')]\n"
        "sys.stderr.write(repr(sorted(s for s in stages if s in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("usage: nero")
    assert set(eval(out.stderr.strip().splitlines()[-1])) == loaded


def test_console_script_is_installed(repo_root):
    """The installed `nero` command runs (a real process, through the console-script entry point)."""
    import shutil

    exe = shutil.which("nero", path=str(repo_root / ".venv" / "bin")) or shutil.which("nero")
    assert exe, "the `nero` console script is not on PATH"
    out = subprocess.run([exe, "--help"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("usage: nero") and "provenance" in out.stdout


def test_user_error_is_reported_without_traceback(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "nero.cli", "provenance", "verify", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert out.stderr.startswith("nero: error:") and "MANIFEST.sha256" in out.stderr
    assert "Traceback" not in out.stderr


def test_simulate_wave_writes_one_new_wave_into_an_existing_study(tmp_path, repo_root):
    """`nero simulate wave --out DIR/wave-3`: one export, fresh ResponseIds and FirmCodes, next steps printed;
    the new wave cleans to exactly the usable firms asked for."""
    import shutil

    import yaml

    from nero.cli import main
    from nero.survey.pipeline import run_survey
    from nero.survey.readers import read_export

    raw = tmp_path / "raw"
    shutil.copytree(repo_root / "data" / "raw" / "survey", raw / "survey")
    (raw / "MANIFEST.sha256").write_text("")
    assert main(["simulate", "wave", "--out", str(raw / "survey" / "wave-3"), "--firms", "30"]) == 0
    files = list((raw / "survey" / "wave-3").glob("*.csv"))
    assert len(files) == 1
    new = read_export(files[0]).data
    old = read_export(next((raw / "survey" / "wave-1").glob("*.csv"))).data
    assert not set(new["ResponseId"]) & set(old["ResponseId"])
    codebook = yaml.safe_load((repo_root / "config" / "codebook.yaml").read_text())
    codebook["waves"]["wave-3"] = {"label": "Wave 3"}
    result = run_survey(raw / "survey", codebook, tmp_path / "out")
    assert result.counts("wave-3")["usable"] == 30
    assert main(["simulate", "wave", "--out", str(raw / "survey" / "wave-3")]) == 2  # the folder is taken


def test_config_check_names_every_bad_key(tmp_path, repo_root, capsys):
    import yaml

    from nero.cli import main

    config = yaml.safe_load((repo_root / "config" / "config.yaml").read_text())
    config["fsqca"]["anchors"]["CAP"]["crossover"] = 6.0
    config["seed"] = -1
    bad = tmp_path / "config.yaml"
    bad.write_text(yaml.safe_dump(config))
    assert main(["config", "check", str(bad), "--schema", str(repo_root / "config" / "schema.yaml")]) == 2
    err = capsys.readouterr().err
    assert "seed: expected a value >= 0, got -1" in err and "fsqca.anchors.CAP: anchors out of order" in err
    assert (
        main(
            [
                "config",
                "check",
                str(repo_root / "config" / "config.yaml"),
                "--schema",
                str(repo_root / "config" / "schema.yaml"),
            ]
        )
        == 0
    )
