"""Fixtures of the browser tests: one private Gonggao (sandbox portals + serve) and one headless
Chromium for the whole run, the artefact folder, and the CI rule (a missing Chromium fails, never skips)."""
import os
import shutil

import pytest

from harness import browser, console, world

ARTIFACTS = os.environ.get("BROWSER_ARTIFACTS") or os.path.join(world.ROOT, ".artifacts", "browser")


def is_ci():
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def artifacts():
    """The screenshot folder, emptied at the start of each run."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    os.makedirs(ARTIFACTS)
    return ARTIFACTS


@pytest.fixture(scope="session")
def shots(artifacts):
    return browser.Shots(artifacts)


@pytest.fixture(scope="session")
def gonggao(artifacts):
    """The running world; always stopped (by pid) at the end, even when a test or the start failed."""
    w = world.World(log_folder=os.path.join(artifacts, "logs"))
    try:
        w.start()
        yield w
    finally:
        w.stop()


@pytest.fixture(scope="session")
def driver():
    missing = browser.missing_tools()
    if missing:
        message = "the browser tests need " + ", ".join(missing) + " (make deps installs them)"
        if is_ci():
            pytest.fail(message)
        pytest.skip(message)
    d = browser.chrome()
    console.trap_alerts(d)
    try:
        yield d
    finally:
        d.quit()


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"browser screenshots and service logs: {ARTIFACTS}")
