"""A warm fork server for the workflow's Python ``script:`` jobs on a local run.

Snakemake 9 runs each ``script:`` job as ``PYTHON TMP_SCRIPT`` in a new interpreter, which imports
what the job needs: pandas (0.7 s of CPU), ``scipy.stats`` and statsmodels (2.9 s with pandas),
matplotlib, ``nero.sem`` (2.7 s) ... About half of the CPU of ``make study`` was spent in these
start-ups (docs/pipeline.md). The fork server is one interpreter that imports once the modules
the workflow's scripts import and those the library imports inside functions
(:func:`warm_modules`), then forks a child per job; the job is started with the tiny client
:mod:`nero.provenance.forkclient` as its interpreter, which hands the server its standard
streams, arguments, working directory, environment and umask, and ends with the child's exit
status. Each child is forked from the same idle parent, so nothing one job does
(a figure left open, a module's state, a random draw) reaches another.

The child behaves as a fresh ``PYTHON SCRIPT ARG...`` would: the client's file descriptors 0-2
(and no other of the server's), its working directory, environment (``os.environ`` and the C
environment), umask and ``sys.argv``; ``sys.path[0]`` the script's folder; new ``sys.stdin`` /
``stdout`` / ``stderr`` objects (stdout line-buffered only on a terminal); default signal
handlers (SIGINT raises KeyboardInterrupt, SIGPIPE ignored); ``tempfile``'s folder and
numpy's legacy global random state chosen afresh; the script run as ``__main__`` (a new module,
the file compiled and run in it); at its end non-daemon threads joined, ``atexit`` handlers run,
streams flushed; an uncaught exception printed by ``sys.excepthook`` and exit status 1; ``SystemExit``
as Python handles it; KeyboardInterrupt ends it by SIGINT. Each child leads its own process
group, which the server kills (SIGKILL) when the client's connection closes before the child
ended (the client was killed), and dies with the server (``PR_SET_PDEATHSIG``).

The server declines (and the client runs the job in the real interpreter, so nothing fails
because of the server) a job for another interpreter, another working directory (matplotlib
reads ``./matplotlibrc`` when imported) or another start-up environment (:data:`STARTUP_ENV`:
Python's own variables, the locale, the BLAS thread counts, which the server fixes before it
imports numpy, and matplotlib's). Snakemake gives a job of ``threads: n`` the thread variables
``n``; the server is started with 1, so a multi-threaded job runs in a fresh interpreter.

On a local run the workflow's ``onstart`` handler calls :func:`serve_script_jobs`, which starts
the server in a private folder (``mkdtemp``, mode 0700, a short socket path) and routes Snakemake's
Python script jobs to the client (:func:`route_script_jobs`); ``onsuccess`` / ``onerror`` (and
an ``atexit`` handler) stop it. A cluster run, a dry run, ``--touch``, a run of fewer than
:data:`MIN_SCRIPT_JOBS` Python script jobs and ``NERO_FORK_SERVER=0`` leave Snakemake as it is.
Snakemake's benchmark files keep a served job's wall time, but their CPU and memory columns see
only the client (the job's process tree as Snakemake knows it). With ``NERO_FORK_SERVER_STATS=FILE`` in the environment the server
appends one JSON line per job to FILE: the script, the CPU seconds of the child and its
descendants (``wait4``), the wall seconds and the wait status; and when it stops, one line
``"(fork server)"`` with its own CPU and wall seconds and the wall seconds of its warm-up
(``make bench-build``).

Hand-written: ``multiprocessing``'s forkserver runs Python callables of the parent, not whole
scripts with another process's streams and environment; no library on PyPI does this for
Snakemake.
"""

from __future__ import annotations

import ast
import atexit
import importlib
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nero.provenance import forkclient

#: The BLAS and OpenMP thread variables Snakemake sets for a job (its ``threads``); the server has 1.
THREAD_ENV = (
    "OMP_NUM_THREADS",
    "GOTO_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
#: Environment variables read when an interpreter starts or a warm module is imported: a job
#: whose values differ from the server's (present or absent) runs in a fresh interpreter.
STARTUP_ENV = (
    "LANG",
    "LANGUAGE",
    "HOME",
    "MPLBACKEND",
    "MPLCONFIGDIR",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    *THREAD_ENV,
)
#: Prefixes of further such variables.
STARTUP_ENV_PREFIXES = ("PYTHON", "LC_")
#: What Snakemake's preamble of a Python script imports (warmed with the scripts' own imports).
PREAMBLE_MODULES = ("pickle", "snakemake.io", "snakemake.iocontainers", "snakemake.logging")
#: Seconds a connection may take to send its request.
REQUEST_TIMEOUT = 10.0
#: Seconds between two checks of the stop flag and of the parent process.
POLL = 0.5
#: The socket's file name in the server's private folder.
SOCKET_NAME = "s"


def startup_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The variables of ``environ`` that :data:`STARTUP_ENV` and its prefixes name."""
    return {k: v for k, v in environ.items() if k in STARTUP_ENV or k.startswith(STARTUP_ENV_PREFIXES)}


def refusal(request: Mapping[str, Any], python: str, cwd: str, environ: Mapping[str, str]) -> str | None:
    """Why a server with ``python``, ``cwd`` and ``environ`` does not run ``request`` (None: it does).

    Parameters
    ----------
    request : mapping
        The client's request: ``python``, ``argv``, ``cwd``, ``env``, ``umask``.
    python, cwd : str
        The server's interpreter (``sys.executable``) and working directory.
    environ : mapping
        The server's environment when it started.

    Returns
    -------
    str or None
        A one-line reason, or None when the request can be served.
    """
    try:
        argv, env = list(request["argv"]), dict(request["env"])
        if request["python"] != python:
            return f"another interpreter ({request['python']})"
        if not argv or not isinstance(argv[0], str) or argv[0].startswith("-"):
            return "not a script (interpreter options)"
        if os.path.realpath(request["cwd"]) != os.path.realpath(cwd):
            return "another working directory"
        int(request["umask"])
    except (KeyError, TypeError, ValueError) as exc:
        return f"malformed request ({exc})"
    own, theirs = startup_env(environ), startup_env(env)
    for name in sorted(set(own) | set(theirs)):
        if own.get(name) != theirs.get(name):
            return f"another start-up environment ({name})"
    return None


def script_imports(paths: Iterable[str | os.PathLike], *, nested: bool = False) -> list[str]:
    """The modules the Python files at ``paths`` import (sorted, no duplicates).

    ``import a.b`` gives ``a.b``; ``from a.b import c`` gives ``a.b`` (``c`` may be a name, not a
    module); relative imports are left out. By default only the imports at the top level of each
    file (what a script loads when it starts); with ``nested=True`` only those inside functions,
    classes or blocks (what a library loads when a function first needs it).
    """
    found: set[str] = set()
    for path in paths:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
        top = {id(node) for node in tree.body}
        for node in tree.body if not nested else ast.walk(tree):
            if nested and id(node) in top:
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
    return sorted(found)


#: Packages the library imports inside functions that no job needs warm: Snakemake's API (this
#: module's hooks, the rule graph's own process) and the library itself (its modules load
#: through the scripts' imports).
NOT_WARMED = ("nero", "snakemake", "snakemake_interface_executor_plugins")


def warm_modules(scripts: Iterable[str | os.PathLike], library: Iterable[str | os.PathLike]) -> list[str]:
    """What the server imports: the scripts' top-level imports, Snakemake's preamble and the
    library's imports inside functions (python-docx, nbconvert, statsmodels' tests ...; a job
    loads them when it first calls such a function), less :data:`NOT_WARMED`.

    Parameters
    ----------
    scripts : iterable of path
        The workflow's Python scripts.
    library : iterable of path
        The library's modules (``src/nero/**/*.py``).

    Returns
    -------
    list of str
        Module names, sorted.
    """
    lazy = [m for m in script_imports(library, nested=True) if m.split(".")[0] not in NOT_WARMED]
    return sorted(set(PREAMBLE_MODULES) | set(script_imports(scripts)) | set(lazy))


# --- the server process


@dataclass
class _Job:
    conn: socket.socket
    pidfd: int
    script: str
    started: float


@dataclass
class _Server:
    listener: socket.socket
    path: str
    stats: str | None
    environ: dict[str, str]
    cwd: str
    base_path: list[str]
    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)
    jobs: dict[int, _Job] = field(default_factory=dict)
    stopping: bool = False

    def own_fds(self) -> list[int]:
        fds = [self.listener.fileno()] if self.listener.fileno() >= 0 else []
        for job in self.jobs.values():
            fds += [job.conn.fileno(), job.pidfd]
        try:
            fds.append(self.selector.fileno())  # epoll's own descriptor
        except (AttributeError, OSError):
            pass
        return [fd for fd in fds if fd > 2]


def _recv_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(min(65536, size - len(data)))
        if not chunk:
            raise ConnectionError("the client closed the connection")
        data += chunk
    return data


def _read_line(conn: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\n") and len(data) < 256:
        chunk = conn.recv(1)
        if not chunk:
            break
        data += chunk
    return data.decode("ascii", "replace").strip()


def _accept(server: _Server) -> None:
    """Read one request; decline it, or fork its child and watch it."""
    try:
        conn, _ = server.listener.accept()
    except BlockingIOError:
        return
    conn.setblocking(True)
    conn.settimeout(REQUEST_TIMEOUT)
    fds: list[int] = []
    try:
        msg, fds, _flags, _addr = socket.recv_fds(conn, forkclient.HEADER.size, 3)
        if len(fds) != 3 or len(msg) != forkclient.HEADER.size:
            raise ValueError("expected a header with three file descriptors")
        request = json.loads(_recv_exact(conn, forkclient.HEADER.unpack(msg)[0]).decode("utf-8"))
        reason = refusal(request, sys.executable, server.cwd, server.environ)
        if reason is not None:
            conn.sendall(f"refused {reason}\n".encode())
            raise ValueError(reason)
        conn.sendall(b"ready\n")
        if _read_line(conn) != "go":
            raise ValueError("the client gave up")
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError as exc:
            conn.sendall(f"failed {exc}\n".encode())
            raise ValueError(str(exc)) from None
        if pid == 0:
            _child(server, conn, fds, request)  # never returns
        try:
            os.setpgid(pid, pid)  # as the child does: no race with a kill of its group
        except OSError:
            pass
        pidfd = os.pidfd_open(pid)
        conn.settimeout(None)
        conn.sendall(f"pid {pid}\n".encode())
    except (OSError, ValueError, ConnectionError):
        conn.close()
        return
    finally:
        for fd in fds:
            os.close(fd)
    server.jobs[pid] = _Job(conn, pidfd, os.path.basename(request["argv"][0]), time.monotonic())
    server.selector.register(pidfd, selectors.EVENT_READ, ("exited", pid))
    server.selector.register(conn, selectors.EVENT_READ, ("client", pid))


def _reap(server: _Server, pid: int) -> None:
    """The child ``pid`` ended: send its wait status to its client, record it."""
    job = server.jobs.pop(pid)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - job.started
    server.selector.unregister(job.pidfd)
    os.close(job.pidfd)
    try:
        server.selector.unregister(job.conn)
    except KeyError:
        pass
    try:
        job.conn.sendall(f"exit {status}\n".encode())
    except OSError:
        pass
    job.conn.close()
    if server.stats:
        # Snakemake names the script tmpXXXXXXXX.<its file name>
        script = job.script.split(".", 1)[1] if job.script.startswith("tmp") and "." in job.script else job.script
        record = {
            "script": script,
            "cpu_user": round(usage.ru_utime, 3),
            "cpu_system": round(usage.ru_stime, 3),
            "wall": round(wall, 3),
            "status": status,
        }
        with open(server.stats, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")


def _client_gone(server: _Server, pid: int) -> None:
    """The client of ``pid`` closed its connection (or wrote to it): kill the child's process group."""
    job = server.jobs[pid]
    server.selector.unregister(job.conn)
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _stop_listening(server: _Server) -> None:
    if server.listener.fileno() >= 0:
        server.selector.unregister(server.listener)
        server.listener.close()
        try:
            os.unlink(server.path)
        except OSError:
            pass


def serve(
    path: str, modules: Iterable[str], stats: str | None = None, scripts: str | None = None, library: str | None = None
) -> None:
    """Run the server: import :data:`PREAMBLE_MODULES`, ``modules`` and :func:`warm_modules` of the
    Python files in the folders ``scripts`` and ``library``, then listen at ``path`` until SIGTERM or the parent's end.

    The module list is computed here, not in Snakemake's process: reading the library takes about
    2 s of CPU, which would delay the first jobs. On SIGTERM (or when the process that started it ends) it stops accepting jobs, removes its
    socket, waits for the running children and returns. A module that fails to import is named
    on stderr and skipped (a job that imports it meets the same error in its child).
    """
    started = time.monotonic()
    parent = os.getppid()
    base_path = list(sys.path[1:])  # sys.path[0] is the script's folder in each child
    environ = dict(os.environ)
    cwd = os.getcwd()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the clients pass Ctrl-C on to their children
    # while it imports, SIGTERM ends it at once (the default); once it serves, SIGTERM lets it drain
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    modules = [*PREAMBLE_MODULES, *modules]  # named here: "snakemake" in its command line would
    # make `nero status` take the server for a Snakemake process (nero.provenance.runstate)
    if scripts or library:
        found = warm_modules(
            sorted(Path(scripts).glob("*.py")) if scripts else [],
            sorted(Path(library).rglob("*.py")) if library else [],
        )
        modules = [*modules, *found]
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - any import error: the job meets it itself
            print(f"nero fork server: not warmed: {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    import ctypes  # noqa: F401 - the children's PR_SET_PDEATHSIG
    import gc
    import io  # noqa: F401
    import traceback  # noqa: F401

    gc.collect()
    gc.freeze()  # the warm objects stay out of the children's collections (fewer copied pages)
    stop = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.append(signum))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    staging = path + ".new"
    listener.bind(staging)
    listener.listen(64)
    os.rename(staging, path)  # clients find a socket that already listens
    listener.setblocking(False)
    warm = time.monotonic() - started
    server = _Server(listener, path, stats, environ, cwd, base_path)
    server.selector.register(listener, selectors.EVENT_READ, ("listener", 0))
    while not (server.stopping and not server.jobs):
        if not server.stopping and (stop or os.getppid() != parent):
            server.stopping = True
            _stop_listening(server)
            continue
        for key, _ in server.selector.select(POLL):
            kind, pid = key.data
            if kind == "listener" and not server.stopping:
                _accept(server)
            elif kind == "exited":
                _reap(server, pid)
            elif kind == "client" and pid in server.jobs:
                _client_gone(server, pid)
    _stop_listening(server)
    if stats:  # the server's own CPU (its children's is in their records) and its warm-up
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        record = {
            "script": "(fork server)",
            "cpu_user": round(usage.ru_utime, 3),
            "cpu_system": round(usage.ru_stime, 3),
            "wall": round(time.monotonic() - started, 3),
            "warm_up_wall": round(warm, 3),
            "modules": len(sys.modules),
        }
        with open(stats, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")


# --- the child (runs in the forked process; never returns)


def _child(server: _Server, conn: socket.socket, fds: list[int], request: Mapping[str, Any]) -> None:
    status = 1
    try:
        os.setpgid(0, 0)
        _die_with_parent()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGCHLD, signal.SIGUSR1, signal.SIGUSR2):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for fd in server.own_fds() + [conn.fileno()]:
            try:
                os.close(fd)
            except OSError:
                pass
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        status = _run_script(server, request)
    except BaseException:  # noqa: BLE001 - the child must end here, whatever happened
        try:
            import traceback

            traceback.print_exc()
        finally:
            status = 1
    os._exit(status)


def _die_with_parent() -> None:
    """PR_SET_PDEATHSIG: SIGKILL when the server ends (Linux; elsewhere nothing)."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass


def _std_streams() -> None:
    """New sys.stdin/stdout/stderr on descriptors 0-2, configured as a fresh interpreter configures them."""
    import io

    def text(fd: int, mode: str, like: Any, line_buffering: bool):
        buffered = open(fd, mode + "b", closefd=False)
        return io.TextIOWrapper(
            buffered,
            encoding=getattr(like, "encoding", None) or "utf-8",
            errors=getattr(like, "errors", None) or "strict",
            line_buffering=line_buffering,
        )

    sys.stdin = sys.__stdin__ = text(0, "r", sys.__stdin__, False)
    sys.stdout = sys.__stdout__ = text(1, "w", sys.__stdout__, os.isatty(1))
    sys.stderr = sys.__stderr__ = text(2, "w", sys.__stderr__, True)


def _system_exit_status(exc: SystemExit) -> int:
    """The exit status Python gives ``raise SystemExit(code)`` (printing a non-integer code)."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        print(code, file=sys.stderr)
    except Exception:  # noqa: BLE001
        pass
    return 1


def _run_main(script: str) -> None:
    """Run the file ``script`` (an absolute path) as a new ``__main__`` module, as ``python script`` does.

    Not ``runpy.run_path``: that sets ``sys.argv[0]`` to the absolute path for the run, where
    Python keeps it as typed; here ``sys.argv`` is the client's and ``__file__`` absolute (3.9+).
    """
    import builtins
    import importlib.machinery
    import io
    import types

    main = types.ModuleType("__main__")
    main.__file__ = script
    main.__cached__ = None
    main.__builtins__ = builtins
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", script)
    sys.modules["__main__"] = main
    with io.open_code(script) as source:  # binary, as Python opens a script (encoding declarations apply)
        code = compile(source.read(), script, "exec")
    exec(code, main.__dict__)


def _run_script(server: _Server, request: Mapping[str, Any]) -> int:
    import atexit as atexit_
    import threading

    cwd, argv = request["cwd"], list(request["argv"])
    os.chdir(cwd)
    os.umask(int(request["umask"]))
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    tempfile.tempdir = None
    script = os.path.abspath(argv[0])
    sys.argv = argv
    sys.path[:] = [os.path.dirname(script), *server.base_path]
    _std_streams()
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()  # the legacy global state, from fresh entropy (Python's random reseeds itself)
    status = 0
    try:
        _run_main(script)
    except SystemExit as exc:
        status = _system_exit_status(exc)
    except KeyboardInterrupt:
        sys.excepthook(*sys.exc_info())
        status = -int(signal.SIGINT)
    except BaseException:  # noqa: BLE001 - printed as Python prints an uncaught exception
        sys.excepthook(*sys.exc_info())
        status = 1
    try:
        threading._shutdown()  # as at interpreter exit: join the non-daemon threads
    except Exception:  # noqa: BLE001
        pass
    atexit_._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - e.g. a closed pipe, as at a fresh interpreter's exit
            pass
    if status < 0:  # KeyboardInterrupt: end by SIGINT, as Python does
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        return 128 + int(signal.SIGINT)
    return status


# --- starting and stopping it, and routing Snakemake's script jobs


@dataclass
class ForkServer:
    """A running fork server: its private folder, socket and process.

    Attributes
    ----------
    directory : Path
        The private folder (mode 0700) that holds the socket and the server's log.
    socket : Path
        The socket the clients connect to (it exists once the server accepts jobs).
    process : subprocess.Popen
        The server process.
    """

    directory: Path
    socket: Path
    process: subprocess.Popen
    undo: Callable[[], None] | None = None

    def command(self, python: str, script: str, *args: str) -> list[str]:
        """The command that runs ``python script args...`` through this server (or, failing it, directly)."""
        return [python, "-I", "-S", forkclient.__file__, str(self.socket), python, script, *args]

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Wait until the server accepts jobs (True), it ended, or ``timeout`` seconds passed (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.socket.exists():
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.05)
        return False

    def alive(self) -> bool:
        """Whether the server process still runs."""
        return self.process.poll() is None

    def log(self) -> str:
        """What the server wrote to its standard output and error."""
        try:
            return (self.directory / "server.log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self, timeout: float = 60.0) -> int | None:
        """Stop accepting jobs, wait for the running ones (up to ``timeout`` s, then kill), remove the folder.

        Returns
        -------
        int or None
            The server's exit status (None when it had to be killed).
        """
        if self.undo is not None:  # Snakemake's script jobs run as before
            self.undo()
            self.undo = None
        status = None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                status = self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        else:
            status = self.process.returncode
        shutil.rmtree(self.directory, ignore_errors=True)
        return status


def start_server(
    modules: Iterable[str] = (),
    *,
    scripts: str | os.PathLike | None = None,
    library: str | os.PathLike | None = None,
    cwd: str | os.PathLike | None = None,
    environ: Mapping[str, str] | None = None,
    python: str | None = None,
) -> ForkServer:
    """Start a fork server that warms ``modules``, in a new private folder under the temporary folder.

    Parameters
    ----------
    modules : iterable of str
        The modules to import before serving.
    scripts, library : path, optional
        Folders of Python files whose :func:`warm_modules` the server imports too (the workflow's
        scripts; the library's package folder), computed in the server's process.
    cwd : path, optional
        The working directory of the server and of the jobs it serves (default: the current one).
    environ : mapping, optional
        Its environment (default ``os.environ``); the :data:`THREAD_ENV` variables are set to 1.
    python : str, optional
        The interpreter (default ``sys.executable``); the jobs must name the same one.

    Returns
    -------
    ForkServer
        It returns at once; the socket appears when the modules are imported (``wait_ready``).
    """
    python = python or sys.executable
    env = dict(os.environ if environ is None else environ)
    env.update({name: "1" for name in THREAD_ENV})
    # a short path: a socket's path may have at most 107 bytes
    directory = Path(tempfile.mkdtemp(prefix="nero-fs-", dir="/tmp" if os.path.isdir("/tmp") else None))
    sock = directory / SOCKET_NAME
    code = (
        "import sys; from nero.provenance.forkserver import serve; "
        "serve(sys.argv[1], sys.argv[5:], sys.argv[2] or None, sys.argv[3] or None, sys.argv[4] or None)"
    )
    args = [str(sock), env.get("NERO_FORK_SERVER_STATS", ""), str(scripts or ""), str(library or ""), *modules]
    with open(directory / "server.log", "wb") as log:
        process = subprocess.Popen(
            [python, "-c", code, *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the clients, which pass it on
        )
    return ForkServer(directory, sock, process)


def route_script_jobs(server: ForkServer):
    """Run Snakemake's Python ``script:`` jobs through ``server``'s client; returns a function that undoes it.

    Only jobs without a conda environment, container or environment modules, and only while the
    server runs; the others, and everything while it is down, run as Snakemake runs them.
    """
    from snakemake.script import PythonScript

    original = PythonScript.execute_script

    def execute_script(self, fname, edit=False):
        if edit or self.container_img is not None or self.conda_env is not None or self.env_modules is not None:
            return original(self, fname, edit=edit)
        if not server.alive():
            return original(self, fname, edit=edit)
        client, sock = forkclient.__file__, str(server.socket)
        self._execute_cmd(
            "{py_exec} -I -S {client:q} {sock:q} {py_exec:q} {fname:q}",
            py_exec=sys.executable,
            client=client,
            sock=sock,
            fname=fname,
            is_python_script=True,
        )

    PythonScript.execute_script = execute_script

    def undo() -> None:
        PythonScript.execute_script = original

    return undo


#: A run with fewer Python script jobs to do starts no server: its warm-up (5-9 s of CPU for the
#: workflow's modules, docs/pipeline.md) costs more than the start-ups it saves (0.2-2.9 s of CPU
#: per job, 0.7 s for a job that needs only pandas). Measured: the Study 1 chain (9 light jobs,
#: tests/qual/test_qual_workflow.py) took 64 s with a server and 55 s without; the whole study
#: (68 jobs) 45% less CPU with one.
MIN_SCRIPT_JOBS = 20


def script_jobs(workflow: Any) -> int:
    """How many of the jobs the run will do are Python ``script:`` jobs (duck-typed Snakemake DAG)."""
    jobs = workflow.dag.needrun_jobs()
    return sum(1 for job in jobs if str(getattr(job.rule, "script", None) or "").endswith(".py"))


def serve_script_jobs(
    workflow: Any,
    scripts: str | os.PathLike | None = None,
    library: str | os.PathLike | None = None,
    *,
    min_jobs: int = MIN_SCRIPT_JOBS,
) -> ForkServer | None:
    """From the workflow's ``onstart``: start a server warmed for the jobs and route the jobs to it.

    Parameters
    ----------
    workflow : snakemake.workflow.Workflow
        The running workflow (``workflow`` in a Snakefile).
    scripts, library : path, optional
        The folder of the workflow's Python scripts and the library's package folder: the server
        imports their :func:`warm_modules`.
    min_jobs : int
        The fewest Python script jobs (:func:`script_jobs`) for which a server starts.

    Returns
    -------
    ForkServer or None
        None (and nothing changed) on a cluster run, in a job's own Snakemake process, with
        ``--touch``, with ``NERO_FORK_SERVER=0`` in the environment, or for a run of fewer than
        ``min_jobs`` Python script jobs.
    """
    from snakemake_interface_executor_plugins.settings import ExecMode

    if os.environ.get("NERO_FORK_SERVER", "1") == "0" or getattr(workflow, "touch", False):
        return None
    if not getattr(workflow, "local_exec", False) or getattr(workflow, "exec_mode", None) != ExecMode.DEFAULT:
        return None
    if script_jobs(workflow) < min_jobs:
        return None
    try:
        server = start_server(scripts=scripts, library=library)
    except OSError as exc:  # e.g. no writable temporary folder: the jobs run as without it
        print(f"nero fork server not started ({exc}); the script jobs start their own interpreters", file=sys.stderr)
        return None
    try:
        server.undo = route_script_jobs(server)
    except (ImportError, AttributeError) as exc:  # a Snakemake without PythonScript.execute_script
        server.stop()
        print(f"nero fork server not used ({exc}); the script jobs start their own interpreters", file=sys.stderr)
        return None
    atexit.register(stop_serving, server)  # also when Snakemake ends without onsuccess / onerror
    return server


def stop_serving(server: ForkServer | None) -> None:
    """From ``onsuccess`` / ``onerror``: stop routing jobs and stop the server (nothing for None, or when stopped).

    A server that ended with a failure has its log printed on stderr (the jobs it served are
    unaffected: each one's outcome is its own).
    """
    if server is None or not server.directory.exists():
        return
    status = server.stop()
    if status:
        print(f"nero fork server ended with status {status}:\n{server.log()[-2000:]}", file=sys.stderr)
