"""The client of the warm fork server: runs one Python script job in a child of the server, or else
in the real interpreter.

Started (by :mod:`nero.provenance.forkserver`'s hook of Snakemake's ``script:`` jobs) as::

    PYTHON -I -S forkclient.py SOCKET PYTHON SCRIPT [ARG ...]

in place of ``PYTHON SCRIPT [ARG ...]``. It hands the server its standard input, output and error
(the file descriptors themselves, ``socket.send_fds``), its argument list, working directory,
environment and umask; the server forks a child of its warm interpreter that runs ``SCRIPT`` as
``__main__`` with all of these, and sends back the child's process id and, when it ends, its wait
status. This process then ends the same way: the same exit code, or killed by the same signal.
SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 sent to it are passed on to the child; when
it dies without a chance to pass anything on (SIGKILL), the server sees its connection close and
kills the child's process group.

When no server answers (no socket, connection refused, no answer within
:data:`READY_TIMEOUT` seconds) or the server declines the job (an interpreter, working directory
or start-up environment other than its own) or cannot fork, nothing has run yet and this process
replaces itself with ``PYTHON SCRIPT [ARG ...]`` (``os.execv``): the job runs as it would without
the server. Only a server that dies while its child runs loses the job (it fails with a message).

Standard library only and started with ``-I -S`` (no ``site``, no ``nero``): its start-up costs
about 20 ms. Hand-written: no library passes file descriptors to a pre-imported interpreter.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys

#: Seconds to wait for the server's answer before running the job in the real interpreter.
READY_TIMEOUT = 20.0
#: The exit status of a job whose server ended while it ran (the job's outcome is unknown).
LOST = 70
#: Signals passed on to the child.
FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2")
#: The request's header: the length of the JSON body that follows.
HEADER = struct.Struct("!I")


def fallback(python: str, argv: list[str]) -> None:
    """Replace this process with ``python argv...`` (the job without the server)."""
    os.execv(python, [python, *argv])


def _read_line(sock: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(256)
        if not chunk:
            raise ConnectionError("the fork server closed the connection")
        data += chunk
    return data.decode("ascii").strip()


def request(path: str, python: str, argv: list[str]) -> tuple[socket.socket, int] | None:
    """Hand the job to the server at ``path``: (the connection, the child's pid), or None when it did not start."""
    body = json.dumps(
        {
            "python": python,
            "argv": argv,
            "cwd": os.getcwd(),
            "env": dict(os.environ),
            "umask": _umask(),
        }
    ).encode("utf-8")
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(READY_TIMEOUT)
        sock.connect(path)
        socket.send_fds(sock, [HEADER.pack(len(body))], [0, 1, 2])
        sock.sendall(body)
        answer = _read_line(sock)
        if answer != "ready":  # "refused <reason>": nothing ran
            sock.close()
            return None
        sock.sendall(b"go\n")  # from here on the job is the server's
        sock.settimeout(None)
        answer = _read_line(sock)
    except (OSError, ValueError):
        return None
    if not answer.startswith("pid "):  # "failed <reason>": the fork failed, nothing ran
        sock.close()
        return None
    return sock, int(answer.split()[1])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def wait(sock: socket.socket, pid: int) -> int:
    """Pass signals on to the child ``pid`` until the server reports its wait status; return it."""

    def forward(signum, frame):
        try:
            os.kill(pid, signum)
        except OSError:
            pass

    for name in FORWARDED:
        signal.signal(getattr(signal, name), forward)
    try:
        answer = _read_line(sock)
    except (OSError, ConnectionError):
        answer = ""
    if not answer.startswith("exit "):
        sys.stderr.write(f"nero fork server: the server ended while the job ran (pid {pid}); the job is lost\n")
        return LOST << 8
    return int(answer.split()[1])


def finish(status: int) -> None:
    """End this process as the child ended (same exit code, or the same signal)."""
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        os._exit(128 + signum)
    os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)


def main(args: list[str]) -> None:
    """``SOCKET PYTHON SCRIPT [ARG ...]``: run the script in the server's child, else in ``PYTHON``."""
    if len(args) < 3:
        sys.exit("usage: forkclient.py SOCKET PYTHON SCRIPT [ARG ...]")
    path, python, argv = args[0], args[1], args[2:]
    started = request(path, python, argv) if path else None
    if started is None:
        fallback(python, argv)
    sock, pid = started
    finish(wait(sock, pid))


if __name__ == "__main__":
    main(sys.argv[1:])
