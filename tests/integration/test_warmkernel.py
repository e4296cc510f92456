"""Kernels forked from the warm template: preloaded libraries, a fresh namespace, and no kernel outliving its launcher.

The root conftest.py starts a template for each test process and registers the `mapreport-warm` kernelspec (nbval
uses it too); these tests start kernels from it directly with jupyter_client.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from typing import Any

import pytest
from jupyter_client.manager import start_new_kernel

from conftest import WARM_KERNEL


def _run(client: Any, code: str) -> str:
    printed: list[str] = []

    def output(message: dict[str, Any]) -> None:
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    client.execute_interactive(code, timeout=60, output_hook=output)
    return "".join(printed).strip()


@pytest.fixture
def warm_kernel() -> Iterator[tuple[Any, Any]]:
    manager, client = start_new_kernel(kernel_name=WARM_KERNEL, startup_timeout=60)
    try:
        yield manager, client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_a_warm_kernel_has_the_libraries_loaded_and_an_empty_namespace(warm_kernel: tuple[Any, Any]) -> None:
    _, client = warm_kernel
    found = _run(client, "import sys; print('pandas' in sys.modules, 'pd' in dir(), sys.flags.hash_randomization)")
    assert found == "True False 0", "expected pandas preloaded, no names defined, and the fixed hash seed (0)"
    assert _run(client, "x = 41; print(x + 1)") == "42"


def test_a_kernel_whose_launcher_is_killed_stops(warm_kernel: tuple[Any, Any]) -> None:
    manager, client = warm_kernel
    kernel = int(_run(client, "import os; print(os.getpid())"))
    launcher = manager.provisioner.process.pid
    assert kernel != launcher, "the kernel was not forked from the template"
    os.kill(launcher, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(kernel, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail("the forked kernel outlived its launcher by 10 s")
