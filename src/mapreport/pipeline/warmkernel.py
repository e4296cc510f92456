"""Kernels forked from a warm template: the heavy imports (pandas, matplotlib, seaborn, IPython, the project's report
modules) are paid once per run.

A run starts one template process (`serve`), which imports those libraries and every module of mapreport.reports and
mapreport.present, asks the versions the provenance sections state (of the Word engine and the packages), draws one
throwaway chart (so fonts are loaded once; rcParams are restored after it), then waits on a Unix socket. It reads no
data file and sets no state a report depends on. Each kernel is launched by `launch` (the command the kernel manager
starts): it asks the template for a kernel, the template forks, and the child sets the kernel's environment and
working folder and starts an ordinary ipykernel on the connection file. The notebook's namespace is fresh, as in any
new kernel; only modules already imported are shared, so `import pandas` costs nothing. The launcher stands in for
the kernel towards the kernel manager: it forwards interrupts and stops, and returns when the kernel exits; a kernel
whose launcher dies stops itself.

Where no template is running, or it cannot be reached, or the kernel needs another hash seed than the template was
started with, the launcher simply becomes an ordinary kernel (exec of ipykernel): the same result, at the usual cost.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

SOCKET_ENV = "MAPREPORT_WARM_KERNELS"
PRELOAD = ("numpy", "pandas", "matplotlib.pyplot", "seaborn", "IPython", "ipykernel.kernelapp", "pydantic", "yaml")
PROJECT_PACKAGES = ("mapreport.present", "mapreport.reports")
READY_TIMEOUT = 30.0
_POLL = 0.05


def command(connection_file: str) -> list[str]:
    """The command a kernel manager runs to get a kernel from the template."""
    return [sys.executable, "-m", "mapreport.pipeline.warmkernel", "-f", connection_file]


@contextlib.contextmanager
def template(env: dict[str, str]) -> Iterator[None]:
    """Run a template for the duration of the block; kernels launched meanwhile (in this process's children too)
    are forked from it. The socket lives in a short temporary folder (socket paths are limited to ~100 bytes).

    Where this process already has a running template (its parent's, e.g. a test session's), the block uses that one:
    a kernel takes its environment and folder from its launcher, whichever template forks it."""
    running = os.environ.get(SOCKET_ENV)
    if running and os.path.exists(running) and os.environ.get("PYTHONHASHSEED") == env.get("PYTHONHASHSEED"):
        yield
        return
    folder = Path(tempfile.mkdtemp(prefix="mapreport-warm-"))
    path = folder / "template.sock"
    server = subprocess.Popen(
        [sys.executable, "-m", "mapreport.pipeline.warmkernel", "--serve", str(path)],
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    before = os.environ.get(SOCKET_ENV)
    os.environ[SOCKET_ENV] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(SOCKET_ENV, None)
        else:
            os.environ[SOCKET_ENV] = before
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)


def serve(path: str) -> None:
    """The template: import the heavy libraries, then fork a kernel for each request on the socket."""
    _preload()
    # Everything imported so far lives as long as the kernels: keep it out of their garbage collections, which would
    # otherwise walk (and so copy, page by page) the whole shared heap in every forked kernel.
    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ready = path + ".partial"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(ready)
    listener.bind(ready)
    listener.listen(64)
    os.rename(ready, path)  # the socket appears only once the imports are done
    while True:
        connection, _ = listener.accept()
        with connection:
            request = json.loads(connection.makefile("r", encoding="utf-8").readline())
            if request.get("seed") != os.environ.get("PYTHONHASHSEED"):
                connection.sendall(b"-1\n")  # hashes fixed at start: this template cannot give that kernel
                continue
            pid = os.fork()
            if pid == 0:
                listener.close()
                connection.close()
                _become_kernel(request)
            connection.sendall(f"{pid}\n".encode())


def _preload() -> None:
    """Import the libraries and the project's report modules, and draw one throwaway chart (fonts, caches)."""
    import importlib
    import io
    import pkgutil

    import matplotlib

    for module in PRELOAD:
        importlib.import_module(module)
    for name in PROJECT_PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, prefix=name + "."):
            importlib.import_module(info.name)
    from mapreport.core import hashing, wordengine
    from mapreport.present import charts

    wordengine.word_engine()  # the Word engine's version (a subprocess) and the packages' versions, which the
    hashing.package_versions()  # reports' provenance sections state: asked once, not in every kernel
    with matplotlib.rc_context():
        fig, ax = charts.new_figure(figsize=(2, 1))
        ax.plot([0, 1], [0, 1], marker="o", label="warm")
        ax.set_title("warm")
        ax.legend()
        fig.tight_layout()
        fig.savefig(io.BytesIO(), format="png")
        import matplotlib.pyplot as plt

        plt.close(fig)


def _become_kernel(request: dict[str, object]) -> None:
    """In the forked child: take the kernel's environment and folder, watch the launcher, run the kernel."""
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    environment = request["env"]
    assert isinstance(environment, dict)
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in environment.items()})
    os.chdir(str(request["cwd"]))
    launcher = int(str(request["launcher"]))
    threading.Thread(target=_exit_without, args=(launcher,), daemon=True).start()
    if os.environ.get("MAPREPORT_READ_LOG"):  # a recording run: the hook must be in this kernel too
        from mapreport.core.readlog import install_from_env

        install_from_env()
    from ipykernel.kernelapp import launch_new_instance

    try:
        launch_new_instance(argv=["-f", str(request["connection_file"])])
    finally:
        os._exit(0)


def _exit_without(launcher: int) -> None:
    """Stop this kernel when its launcher (the process the kernel manager holds) has ended."""
    _wait_for_end(launcher)
    os._exit(1)


def _wait_for_end(pid: int) -> None:
    """Return once process `pid` has ended (exited, or is a zombie waiting for its parent)."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    except OSError:  # no pidfd: watch the process table
        while _alive(pid):
            time.sleep(_POLL)
        return
    try:
        select.select([handle], [], [])
    finally:
        os.close(handle)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _ask_template(path: str, connection_file: str) -> int | None:
    """A kernel forked by the template; None where none can be had."""
    deadline = time.monotonic() + READY_TIMEOUT
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            return None
        time.sleep(_POLL)
    request = {
        "connection_file": os.path.abspath(connection_file),
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "launcher": os.getpid(),
        "seed": os.environ.get("PYTHONHASHSEED"),
    }
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)
            client.sendall((json.dumps(request) + "\n").encode())
            pid = int(client.makefile("r", encoding="utf-8").readline())
    except (OSError, ValueError):
        return None
    return pid if pid > 0 else None


def launch(connection_file: str) -> None:
    """Get a kernel from the template and stand in for it until it exits; else become an ordinary kernel."""
    path = os.environ.get(SOCKET_ENV)
    kernel = _ask_template(path, connection_file) if path else None
    if kernel is None:
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file])

    def forward(signum: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(kernel, signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, forward)
    _wait_for_end(kernel)


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "--serve":
        serve(argv[1])
    elif len(argv) == 2 and argv[0] == "-f":
        launch(argv[1])
    else:
        sys.exit("usage: python -m mapreport.pipeline.warmkernel (--serve SOCKET | -f CONNECTION_FILE)")


if __name__ == "__main__":
    main(sys.argv[1:])
