"""Shared test support: the repository root, the zopa binary, and the
external conformance data.

Third-party data (the ANAC/GENIUS corpus with NegMAS's reference values,
GeniusWeb examples, KTAB's runs, news reports) is never part of the
repository. Tests that need it read it from the folder named by
``ZOPA_EXTERNAL_DATA``, laid out as the project's ``shared/`` folder; a
relative value is taken from the repository root (``.ci/run`` sets
``../shared``). When it is unset those tests are *skipped*, with the reason
(``pytest -rs`` lists them); when it is set, a missing folder fails them.
"""

import os
import pathlib
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def external(rel: str, what: str) -> pathlib.Path:
    """The external data's folder ``rel``, or skip ``what`` when
    ``ZOPA_EXTERNAL_DATA`` is unset."""
    value = os.environ.get("ZOPA_EXTERNAL_DATA", "")
    if not value:
        pytest.skip(f"SKIPPED {what}: ZOPA_EXTERNAL_DATA is not set (it names a folder laid out as shared/: {rel}/ ...)")
    root = pathlib.Path(value)
    if not root.is_absolute():
        root = ROOT / root
    folder = root / rel
    assert folder.is_dir(), f"ZOPA_EXTERNAL_DATA is set, but {folder} is missing: {what} cannot run"
    return folder


def zopa_binary() -> str:
    """The ``zopa`` executable: ``$ZOPA_BIN``, else the workspace's build
    (release, then debug), else one on the PATH."""
    env = os.environ.get("ZOPA_BIN")
    if env:
        path = pathlib.Path(env)
        return str(path if path.is_absolute() else ROOT / path)
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "zopa"
        if p.is_file():
            return str(p)
    found = shutil.which("zopa")
    if found:
        return found
    pytest.skip("no zopa binary: build it (cargo build -p zopa) or set ZOPA_BIN")


# Lines the tests want on the terminal whatever pytest captures (what the
# external suite and the live NegMAS check covered), printed at the end.
SUMMARY: list[str] = []


def say(line: str) -> None:
    """Report ``line`` in the run's closing summary."""
    SUMMARY.append(line)


def pytest_terminal_summary(terminalreporter):
    for line in SUMMARY:
        terminalreporter.write_line(f"external: {line}" if not line.startswith("live") else line)
