"""The warm fork server of the workflow's script jobs (nero.provenance.forkserver, forkclient).

Real processes throughout: a server started as the workflow starts it, clients started as
Snakemake starts a script job, real signals. A job tells whether it ran in the server's child or
in the real interpreter by its process id: after the fallback (``os.execv``) the job is the
client's process itself; in a child it is another process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from nero.provenance import forkclient
from nero.provenance.forkserver import (
    MIN_SCRIPT_JOBS,
    STARTUP_ENV,
    THREAD_ENV,
    refusal,
    script_imports,
    script_jobs,
    serve_script_jobs,
    start_server,
    startup_env,
    stop_serving,
    warm_modules,
)

pytestmark = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="the fork server needs Linux (pidfd_open)")

PROBE = """
import ctypes, json, os, sys
libc = ctypes.CDLL(None)
libc.getenv.restype = ctypes.c_char_p
report = {
    "pid": os.getpid(),
    "argv": sys.argv,
    "cwd": os.getcwd(),
    "name": __name__,
    "file": __file__,
    "path0": sys.path[0],
    "x": os.environ.get("NERO_TEST_X"),
    "c_x": (libc.getenv(b"NERO_TEST_X") or b"").decode(),
    "umask": oct(os.umask(0o022)),
    "fds": sorted(int(f) for f in os.listdir("/proc/self/fd")),
    "stdin": sys.stdin.read(),
    "stdout_tty": sys.stdout.line_buffering,
}
print(json.dumps(report))
print("to stderr", file=sys.stderr)
sys.exit(int(os.environ.get("NERO_TEST_CODE", "0")))
"""


def _env(**extra):
    env = dict(os.environ)
    env.update({name: "1" for name in THREAD_ENV})
    env.update(extra)
    return env


def _script(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server warmed with numpy and matplotlib (Agg), working in a folder of its own."""
    work = tmp_path_factory.mktemp("work")
    env = _env(MPLBACKEND="Agg")
    srv = start_server(["json", "numpy", "matplotlib.pyplot"], cwd=work, environ=env)
    assert srv.wait_ready(120), srv.log()
    srv.work = work
    srv.env = env
    yield srv
    assert srv.stop() == 0, srv.log()
    assert not srv.directory.exists()


def _run(srv, script, *args, env=None, cwd=None, stdin="", timeout=120):
    proc = subprocess.Popen(
        srv.command(sys.executable, str(script), *args),
        cwd=cwd or srv.work,
        env=env or srv.env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = proc.communicate(stdin, timeout=timeout)
    return proc.pid, proc.returncode, out, err


def test_a_job_runs_in_a_child_with_the_clients_argv_cwd_env_streams_and_umask(server):
    script = _script(server.work, "probe.py", PROBE)
    env = dict(server.env, NERO_TEST_X="given", NERO_TEST_CODE="0")
    client_pid, code, out, err = _run(server, "probe.py", "a", "b c", env=env, stdin="from stdin")
    report = json.loads(out)
    assert code == 0, err
    assert report["pid"] != client_pid  # served: a child of the server
    assert report["argv"] == ["probe.py", "a", "b c"]  # as typed, like `python probe.py ...`
    assert report["cwd"] == os.path.realpath(server.work)
    assert report["name"] == "__main__"
    assert report["file"] == str(script.resolve())
    assert report["path0"] == str(script.parent.resolve())
    assert report["x"] == report["c_x"] == "given"  # os.environ and the C environment
    assert report["stdin"] == "from stdin"
    assert report["stdout_tty"] is False  # a pipe: block-buffered, as in a fresh interpreter
    assert report["fds"] == [0, 1, 2, 3]  # 3: listdir's own; none of the server's
    assert err == "to stderr\n"


def test_the_same_job_without_the_server_gives_the_same_report(server, tmp_path):
    _script(server.work, "probe.py", PROBE)
    env = dict(server.env, NERO_TEST_X="given")
    served = json.loads(_run(server, "probe.py", "a", env=env, stdin="s")[2])
    absent = SimpleNamespace(
        command=lambda py, s, *a: [py, "-I", "-S", forkclient.__file__, str(tmp_path / "none"), py, s, *a],
        work=server.work,
        env=env,
    )
    client_pid, code, out, err = _run(absent, "probe.py", "a", env=env, stdin="s")
    fresh = json.loads(out)
    assert code == 0 and err == "to stderr\n"
    assert fresh["pid"] == client_pid  # the fallback: the client became the interpreter
    for key in ("argv", "cwd", "name", "file", "path0", "x", "c_x", "stdin", "stdout_tty", "fds", "umask"):
        assert served[key] == fresh[key], key


@pytest.mark.parametrize(
    ("body", "code", "stderr_has"),
    [
        ("pass", 0, None),
        ("import sys; sys.exit(3)", 3, None),
        ("import sys; sys.exit(256 + 7)", 7, None),
        ("import sys; sys.exit('a message')", 1, "a message"),
        ("raise ValueError('the job failed')", 1, "ValueError: the job failed"),
        ("import sys; sys.exit(None)", 0, None),
    ],
    ids=["success", "exit 3", "exit 263 is 7", "exit with a message", "uncaught exception", "exit None"],
)
def test_exit_status_and_stderr_as_python_gives_them(server, body, code, stderr_has):
    _script(server.work, "status.py", body + "\n")
    served = _run(server, "status.py")
    fresh = subprocess.run(
        [sys.executable, "status.py"], cwd=server.work, env=server.env, capture_output=True, text=True
    )
    assert served[1] == code == fresh.returncode
    if stderr_has is None:
        assert served[3] == "" == fresh.stderr
    else:
        assert stderr_has in served[3] and stderr_has in fresh.stderr
        assert served[3].splitlines()[-1] == fresh.stderr.splitlines()[-1]


def test_a_crashing_script_ends_the_client_by_the_same_signal(server):
    _script(server.work, "crash.py", "import os\nos.abort()\n")
    _, code, _, _ = _run(server, "crash.py")
    assert code == -signal.SIGABRT


def test_keyboard_interrupt_ends_by_sigint_as_python_does(server):
    _script(server.work, "interrupt.py", "raise KeyboardInterrupt\n")
    _, code, _, err = _run(server, "interrupt.py")
    assert code == -signal.SIGINT
    assert "KeyboardInterrupt" in err


def _wait_for(path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path} not written in {timeout} s")


def _gone(pid, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


SLEEPER = """
import os, sys, time
open(sys.argv[1], "w").write(str(os.getpid()))
time.sleep(300)
"""


def test_killing_the_client_kills_the_child(server):
    _script(server.work, "sleeper.py", SLEEPER)
    marker = server.work / "killed.pid"
    proc = subprocess.Popen(server.command(sys.executable, "sleeper.py", str(marker)), cwd=server.work, env=server.env)
    child = int(_wait_for(marker))
    assert child != proc.pid
    proc.kill()  # SIGKILL: the client can pass nothing on; the server sees its connection close
    proc.wait()
    assert _gone(child), "the child outlived its client"


def test_sigterm_to_the_client_reaches_the_child_and_the_client_ends_by_it(server):
    _script(server.work, "sleeper.py", SLEEPER)
    marker = server.work / "term.pid"
    proc = subprocess.Popen(server.command(sys.executable, "sleeper.py", str(marker)), cwd=server.work, env=server.env)
    child = int(_wait_for(marker))
    proc.terminate()
    assert proc.wait(60) == -signal.SIGTERM
    assert _gone(child)


def test_two_jobs_run_at_the_same_time(server):
    pair = """
    import sys, time
    from pathlib import Path
    mine, other = Path(sys.argv[1]), Path(sys.argv[2])
    mine.write_text("started")
    deadline = time.monotonic() + 60
    while not other.exists():  # each waits for the other: both must run at once
        if time.monotonic() > deadline:
            sys.exit("the other job never started")
        time.sleep(0.02)
    print(mine.name)
    """
    _script(server.work, "pair.py", pair)
    a, b = server.work / "a.flag", server.work / "b.flag"
    procs = [
        subprocess.Popen(
            server.command(sys.executable, "pair.py", str(x), str(y)),
            cwd=server.work,
            env=server.env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for x, y in ((a, b), (b, a))
    ]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert outs == ["a.flag\n", "b.flag\n"]


def test_no_state_leaks_from_one_job_to_the_next(server):
    _script(
        server.work,
        "dirty.py",
        """
        import json, numpy as np, matplotlib.pyplot as plt, matplotlib
        json.LEFT_BEHIND = True
        plt.figure(); plt.plot([1, 2])
        matplotlib.rcParams["lines.linewidth"] = 9
        np.random.seed(1)
        import os; os.environ["NERO_TEST_LEAK"] = "1"
        """,
    )
    _script(
        server.work,
        "clean.py",
        """
        import json, os, numpy as np, matplotlib.pyplot as plt, matplotlib
        print(json.dumps({
            "attr": hasattr(json, "LEFT_BEHIND"),
            "figures": plt.get_fignums(),
            "linewidth": matplotlib.rcParams["lines.linewidth"],
            "env": os.environ.get("NERO_TEST_LEAK"),
            "draw": float(np.random.random()),
        }))
        """,
    )
    assert _run(server, "dirty.py")[1] == 0
    first = json.loads(_run(server, "clean.py")[2])
    second = json.loads(_run(server, "clean.py")[2])
    assert first["attr"] is False and first["figures"] == [] and first["env"] is None
    assert first["linewidth"] == 1.5  # matplotlib's default, not the other job's 9
    assert first["draw"] != second["draw"]  # numpy's global state is drawn afresh in each job, as in a new process


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"OMP_NUM_THREADS": "2"}, "a job with two threads"),
        ({"PYTHONHASHSEED": "7"}, "a Python start-up variable"),
        ({"MPLBACKEND": "pdf"}, "another matplotlib backend"),
    ],
)
def test_a_job_with_another_start_up_environment_runs_in_a_fresh_interpreter(server, change, why):
    _script(server.work, "probe.py", PROBE)
    client_pid, code, out, _ = _run(server, "probe.py", env=dict(server.env, **change))
    assert code == 0
    assert json.loads(out)["pid"] == client_pid, why


def test_a_job_in_another_folder_runs_in_a_fresh_interpreter(server, tmp_path):
    _script(tmp_path, "probe.py", PROBE)
    client_pid, code, out, _ = _run(server, "probe.py", cwd=tmp_path)
    report = json.loads(out)
    assert code == 0 and report["pid"] == client_pid and report["cwd"] == os.path.realpath(tmp_path)


def test_a_dead_server_or_none_means_the_real_interpreter(tmp_path):
    env = _env()
    _script(tmp_path, "probe.py", PROBE)
    srv = start_server(["json"], cwd=tmp_path, environ=env)
    assert srv.wait_ready(60), srv.log()
    srv.work, srv.env = tmp_path, env
    pid, code, out, _ = _run(srv, "probe.py")
    assert code == 0 and json.loads(out)["pid"] != pid  # alive: served
    srv.process.kill()  # dead, its socket file left behind: connection refused
    srv.process.wait()
    assert srv.socket.exists()
    pid, code, out, err = _run(srv, "probe.py", env=dict(env, NERO_TEST_CODE="4"))
    assert code == 4 and json.loads(out)["pid"] == pid and err == "to stderr\n"
    srv.stop()
    assert not srv.directory.exists()
    pid, code, out, _ = _run(srv, "probe.py")  # no socket at all
    assert code == 0 and json.loads(out)["pid"] == pid


def test_a_stopped_server_finishes_its_running_job_first(tmp_path):
    env = _env()
    srv = start_server(["json"], cwd=tmp_path, environ=env)
    assert srv.wait_ready(60), srv.log()
    _script(
        tmp_path, "slow.py", "import sys, time\nopen(sys.argv[1], 'w').write('x')\ntime.sleep(1.5)\nprint('finished')\n"
    )
    marker = tmp_path / "slow.flag"
    proc = subprocess.Popen(
        srv.command(sys.executable, "slow.py", str(marker)), cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True
    )
    _wait_for(marker)
    assert srv.stop() == 0
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and out == "finished\n"


# --- the decision rules, one by one


def _request(**change):
    base = {"python": "/py", "argv": ["job.py"], "cwd": "/w", "env": {"OMP_NUM_THREADS": "1", "X": "1"}, "umask": 18}
    base.update(change)
    return base


SERVER_ENV = {"OMP_NUM_THREADS": "1", "X": "2"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, None),
        ({"env": {"OMP_NUM_THREADS": "1", "X": "other"}}, None),  # not a start-up variable
        ({"python": "/other"}, "another interpreter"),
        ({"argv": []}, "not a script"),
        ({"argv": ["-c", "print(1)"]}, "not a script"),
        ({"argv": ["-m", "json.tool"]}, "not a script"),
        ({"cwd": "/elsewhere"}, "another working directory"),
        ({"env": {"OMP_NUM_THREADS": "2"}}, "another start-up environment (OMP_NUM_THREADS)"),
        ({"env": {}}, "another start-up environment (OMP_NUM_THREADS)"),  # absent on one side
        ({"env": {"OMP_NUM_THREADS": "1", "PYTHONPATH": "/x"}}, "another start-up environment (PYTHONPATH)"),
        ({"env": {"OMP_NUM_THREADS": "1", "LC_ALL": "C"}}, "another start-up environment (LC_ALL)"),
        ({"umask": "x"}, "malformed request"),
    ],
)
def test_refusal(change, expected):
    reason = refusal(_request(**change), "/py", "/w", SERVER_ENV)
    if expected is None:
        assert reason is None
    else:
        assert reason is not None and reason.startswith(expected)


def test_a_request_without_a_field_is_refused():
    request = _request()
    del request["env"]
    assert refusal(request, "/py", "/w", SERVER_ENV).startswith("malformed request")


def test_startup_env_names_the_variables_read_at_start_up():
    env = {"PYTHONPATH": "a", "LC_ALL": "C", "MPLBACKEND": "Agg", "HOME": "/h", "PATH": "/bin", "NERO_X": "1"}
    assert startup_env(env) == {"PYTHONPATH": "a", "LC_ALL": "C", "MPLBACKEND": "Agg", "HOME": "/h"}
    assert set(THREAD_ENV) <= set(STARTUP_ENV)


def test_script_imports_reads_the_top_level_imports(tmp_path):
    script = _script(
        tmp_path,
        "s.py",
        """
        import logging, os.path
        from pathlib import Path
        from nero.outputs import log_to
        from . import sibling
        def later():
            import docx
        if True:
            import yaml
        """,
    )
    assert script_imports([script]) == ["logging", "nero.outputs", "os.path", "pathlib"]
    assert script_imports([script], nested=True) == ["docx", "yaml"]
    assert script_imports([]) == []


def test_warm_modules_are_the_scripts_imports_and_the_librarys_late_ones(tmp_path):
    script = _script(tmp_path, "job.py", "import pandas\nfrom nero.outputs import log_to\n")
    module = _script(
        tmp_path,
        "lib.py",
        """
        import numpy
        def f():
            import docx
            from nero.sem import x
            import snakemake.api
        """,
    )
    assert warm_modules([script], [module]) == sorted(
        {"docx", "nero.outputs", "pandas", "pickle", "snakemake.io", "snakemake.iocontainers", "snakemake.logging"}
    )


def test_the_workflows_warm_modules_all_import():
    from nero.provenance.record import library_files

    scripts = sorted((Path(__file__).parents[1] / "workflow" / "scripts").glob("*.py"))
    modules = warm_modules(scripts, library_files().values())
    assert {"pandas", "nero.outputs", "docx", "nbconvert", "statsmodels.api"} <= set(modules)
    assert not [m for m in modules if m.startswith("snakemake.api")]
    probe = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)"
    subprocess.run([sys.executable, "-c", probe, *modules], check=True, timeout=300)


def _workflow(local=True, mode="default", touch=False, scripts=MIN_SCRIPT_JOBS, shells=0):
    from snakemake_interface_executor_plugins.settings import ExecMode

    jobs = [SimpleNamespace(rule=SimpleNamespace(script="scripts/x.py")) for _ in range(scripts)]
    jobs += [SimpleNamespace(rule=SimpleNamespace(script=None)) for _ in range(shells)]
    jobs.append(SimpleNamespace(rule=SimpleNamespace(script="scripts/x.R")))  # not Python
    return SimpleNamespace(
        local_exec=local,
        exec_mode=ExecMode.DEFAULT if mode == "default" else ExecMode.REMOTE,
        touch=touch,
        dag=SimpleNamespace(needrun_jobs=lambda: iter(jobs)),
    )


@pytest.mark.parametrize(
    "workflow",
    [
        _workflow(local=False),
        _workflow(mode="remote"),
        _workflow(touch=True),
        _workflow(scripts=MIN_SCRIPT_JOBS - 1, shells=10),
        _workflow(scripts=0),
    ],
    ids=["cluster executor", "a job's own Snakemake", "--touch", "one script job too few", "no script job"],
)
def test_no_server_where_it_does_not_belong(workflow):
    assert serve_script_jobs(workflow) is None
    stop_serving(None)  # nothing to stop


def test_script_jobs_counts_the_python_script_jobs():
    assert script_jobs(_workflow(scripts=3, shells=4)) == 3
    assert MIN_SCRIPT_JOBS == 20


def test_a_server_starts_from_exactly_min_jobs_script_jobs_and_stops():
    from snakemake.script import PythonScript

    original = PythonScript.execute_script
    server = serve_script_jobs(_workflow(scripts=MIN_SCRIPT_JOBS))
    try:
        assert server is not None and server.alive()
        assert PythonScript.execute_script is not original  # script jobs go to the client
    finally:
        stop_serving(server)
    assert PythonScript.execute_script is original  # and back
    assert not server.alive() and not server.directory.exists()
    stop_serving(server)  # a second stop does nothing


def test_no_temporary_folder_means_no_server_and_no_failure(monkeypatch, tmp_path, capsys):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "absent"))
    monkeypatch.setattr(os.path, "isdir", lambda path: False)  # not /tmp either
    assert serve_script_jobs(_workflow()) is None
    assert "nero fork server not started" in capsys.readouterr().err


def test_it_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("NERO_FORK_SERVER", "0")
    assert serve_script_jobs(_workflow()) is None


# --- in a real Snakemake run, as the workflow uses it

SNAKEFILE = """
from pathlib import Path
SERVERS = []

onstart:
    from nero.provenance.forkserver import serve_script_jobs
    SERVERS.append(serve_script_jobs(workflow, ".", min_jobs=1))
    if SERVERS[0] is not None:
        SERVERS[0].wait_ready(120)

onsuccess:
    from nero.provenance.forkserver import stop_serving
    for s in SERVERS:
        stop_serving(s)
    print("server folder left:", any(s is not None and s.directory.exists() for s in SERVERS))

onerror:
    from nero.provenance.forkserver import stop_serving
    for s in SERVERS:
        stop_serving(s)
    print("server folder left:", any(s is not None and s.directory.exists() for s in SERVERS))

rule all:
    input: expand("out/{i}.txt", i=range(4))

rule one:
    output: "out/{i}.txt"
    script: "job.py"
"""

JOB = """
import json, os
if snakemake.wildcards.i == os.environ.get("NERO_TEST_FAIL"):
    raise RuntimeError("job " + snakemake.wildcards.i + " failed")
with open(snakemake.output[0], "w") as out:
    out.write(json.dumps({"i": snakemake.wildcards.i, "pid": os.getpid()}))
"""


@pytest.mark.parametrize(("switch", "served"), [("1", 4), ("0", 0)], ids=["served", "NERO_FORK_SERVER=0"])
def test_a_snakemake_run_with_the_server(tmp_path, switch, served):
    (tmp_path / "Snakefile").write_text(SNAKEFILE, encoding="utf-8")
    (tmp_path / "job.py").write_text(JOB, encoding="utf-8")
    stats = tmp_path / "stats.jsonl"
    env = _env(NERO_FORK_SERVER=switch, NERO_FORK_SERVER_STATS=str(stats))
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    outs = [json.loads((tmp_path / "out" / f"{i}.txt").read_text()) for i in range(4)]
    assert [o["i"] for o in outs] == ["0", "1", "2", "3"]
    records = [json.loads(line) for line in stats.read_text().splitlines()] if stats.exists() else []
    jobs = [r for r in records if r["script"] != "(fork server)"]
    assert len(jobs) == served
    assert all(r["script"] == "job.py" and r["status"] == 0 and r["cpu_user"] >= 0 for r in jobs)
    assert [r["warm_up_wall"] > 0 for r in records if r["script"] == "(fork server)"] == [True] * (served > 0)
    assert "server folder left: False" in proc.stdout + proc.stderr


def test_a_failing_job_in_a_snakemake_run_fails_the_run_and_stops_the_server(tmp_path):
    (tmp_path / "Snakefile").write_text(SNAKEFILE, encoding="utf-8")
    (tmp_path / "job.py").write_text(JOB, encoding="utf-8")
    stats = tmp_path / "stats.jsonl"
    env = _env(NERO_TEST_FAIL="2", NERO_FORK_SERVER_STATS=str(stats))
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode != 0
    assert "RuntimeError: job 2 failed" in proc.stdout + proc.stderr
    assert any(json.loads(line)["status"] == 1 << 8 for line in stats.read_text().splitlines())
    assert "server folder left: False" in proc.stdout + proc.stderr


def test_the_server_warms_what_the_scripts_and_the_library_in_its_folders_import(tmp_path):
    scripts, library = tmp_path / "scripts", tmp_path / "lib"
    scripts.mkdir()
    (library / "sub").mkdir(parents=True)
    _script(scripts, "job.py", "import fractions\n")
    _script(library / "sub", "mod.py", "def f():\n    import colorsys\n")
    probe = _script(
        tmp_path, "probe.py", "import sys\nprint(sorted(m for m in ('fractions', 'colorsys') if m in sys.modules))\n"
    )
    env = _env()
    srv = start_server(scripts=scripts, library=library, cwd=tmp_path, environ=env)
    try:
        assert srv.wait_ready(60), srv.log()
        served = subprocess.run(
            srv.command(sys.executable, str(probe)), cwd=tmp_path, env=env, capture_output=True, text=True
        )
    finally:
        assert srv.stop() == 0
    fresh = subprocess.run([sys.executable, str(probe)], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert served.stdout == "['colorsys', 'fractions']\n"
    assert fresh.stdout == "[]\n"  # imported by the server, not by the job


def test_a_server_stopped_while_it_warms_up_ends_at_once(tmp_path):
    # a module whose import takes 30 s stands for a long warm-up
    slow = tmp_path / "slow_import_module.py"
    slow.write_text("import time\ntime.sleep(30)\n", encoding="utf-8")
    srv = start_server(["slow_import_module"], cwd=tmp_path, environ=dict(_env(), PYTHONPATH=str(tmp_path)))
    time.sleep(1)
    started = time.monotonic()
    assert srv.stop(timeout=60) == -signal.SIGTERM
    assert time.monotonic() - started < 10
    assert not srv.directory.exists()


def test_nero_status_does_not_take_the_server_for_a_snakemake_process(server):
    from nero.provenance.runstate import lock_state

    cmdline = Path(f"/proc/{server.process.pid}/cmdline").read_bytes()
    assert b"snakemake" not in cmdline
    assert lock_state(server.work).state == "free"
