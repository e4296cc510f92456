"""Headless Chromium for the browser tests: Debian's chromium driven through its chromium-driver with selenium.

No browser is downloaded: the binaries come from the Debian packages `chromium` and `chromium-driver` (.ci/run
installs them). Tests call `browser_or_skip()` (or `chromium()`, which calls it), which skips with the reason only
where they are absent. Used by tests/e2e/test_accessibility.py and tests/e2e/test_injection.py.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
)
PAGE_TIMEOUT = 60


def browser_or_skip() -> tuple[str, str]:
    """The paths of chromium and chromedriver; skips the test, saying what to install, where either is absent."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip(
            "headless Chromium is not installed (need the `chromium` and `chromium-driver` Debian packages; "
            "`.ci/run` installs them): browser test not run"
        )
    return chromium, driver


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium session with a fresh profile, closed afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = browser_or_skip()
    with tempfile.TemporaryDirectory(prefix="mapreport-chromium-") as profile:
        options = Options()
        options.binary_location = binary
        for arg in (*CHROMIUM_ARGS, f"--user-data-dir={profile}"):
            options.add_argument(arg)
        driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
        try:
            driver.set_page_load_timeout(PAGE_TIMEOUT)
            driver.set_script_timeout(PAGE_TIMEOUT)
            yield driver
        finally:
            driver.quit()


def open_file(driver: Any, path: Path) -> None:
    """Load a local HTML file and wait for it to finish loading."""
    driver.get(path.resolve().as_uri())
