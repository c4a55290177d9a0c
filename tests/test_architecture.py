"""The layer rule of architecture.md, enforced by import-linter contracts in pyproject.toml."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.fail("import-linter is not installed: pip install -e '.[test]'")
    r = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_module_is_a_giant():
    big = [(p, n) for p in (ROOT / "desktop").rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600]
    assert not big, f"split these files: {big}"


def test_heavy_libraries_load_only_when_first_used():
    """Start-up imports the main window and every service: openpyxl (and through it numpy),
    xlrd, ReportLab and pypinyin must wait until an import, export or new name
    needs them."""
    import subprocess
    import sys

    code = ("import sys; import desktop.app, desktop.ui.main_window, desktop.services.workspace; "
            "print(sorted(m for m in ('openpyxl', 'reportlab', 'numpy', 'pypinyin', 'xlrd')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", out.stdout
