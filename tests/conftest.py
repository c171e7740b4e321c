"""Shared fixtures of the validation test suite.

Every test works on a COPY of the project (content/ + mkdocs.yml) in a temporary folder, never
on /work/main/content itself:

- `content_copy`  session-wide pristine copy (a project root Path); do not modify it.
- `project`       a fresh, writable copy of `content_copy` for one test (a project root Path).
- `run_clss`      run the `clss` CLI in a subprocess with CLSS_ROOT set to a copy;
                  returns (exit code, stdout, stderr).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# `path:line: message`, as printed by `clss check` (one line per problem)
ERROR_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>[1-9][0-9]*): (?P<message>\S.*)$")


def _clss_command() -> list[str]:
    script = Path(sys.executable).with_name("clss")
    if script.is_file():
        return [str(script)]
    found = shutil.which("clss")
    return [found] if found else [sys.executable, "-m", "clss.cli"]


CLSS = _clss_command()


@pytest.fixture(scope="session")
def content_copy(tmp_path_factory) -> Path:
    """A pristine copy of the project (content/ and mkdocs.yml); shared, do not modify."""
    root = tmp_path_factory.mktemp("clss") / "project"
    root.mkdir()
    shutil.copytree(ROOT / "content", root / "content", ignore=shutil.ignore_patterns(".*", "__pycache__"))
    if (ROOT / "mkdocs.yml").is_file():
        shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    else:  # the CLI finds the project through CLSS_ROOT anyway
        (root / "mkdocs.yml").write_text("site_name: CLSS\n", encoding="utf-8")
    return root


def copy_project(src: Path, dest: Path) -> Path:
    """Copy a project root (content/, mkdocs.yml …) without any build output."""
    shutil.copytree(src, dest, symlinks=True,
                    ignore=lambda d, names: [n for n in names if n in ("build", ".cache")] if Path(d) == src else [])
    return dest


@pytest.fixture
def project(content_copy, tmp_path) -> Path:
    """A fresh writable copy of the project for one test."""
    return copy_project(content_copy, tmp_path / "project")


def run_clss_in(args, cwd: Path, timeout: float = 120) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CLSS_DEBUG",)}
    env.update(CLSS_ROOT=str(cwd), NO_MKDOCS_2_WARNING="1", COLUMNS="200", PYTHONIOENCODING="utf-8")
    proc = subprocess.run([*CLSS, *[str(a) for a in args]], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="session")
def run_clss():
    """run_clss(args, cwd) -> (exit code, stdout, stderr), with CLSS_ROOT=cwd."""
    return run_clss_in
