"""packaging/ is consistent with itself and with the program (no PyInstaller run here:
CI builds and smoke-tests the real package with packaging/build_linux.sh and smoke_test.sh)."""
from __future__ import annotations

import ast
import configparser
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "packaging"
SPEC = (PKG / "dangjian.spec").read_text(encoding="utf-8")
BUILD = (PKG / "build_linux.sh").read_text(encoding="utf-8")
SMOKE = (PKG / "smoke_test.sh").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")

sys.path.insert(0, str(PKG))
import version  # noqa: E402

sys.path.remove(str(PKG))


def pyproject_version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def spec_constant(name: str):
    """Evaluate one top-level assignment of the spec (they are plain expressions)."""
    for node in ast.parse(SPEC).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return eval(compile(ast.Expression(node.value), "dangjian.spec", "eval"), {})
    raise AssertionError(f"{name} not assigned in dangjian.spec")


def imported_top_modules() -> set[str]:
    names = set()
    for path in (ROOT / "desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return names


def test_version_comes_from_pyproject_only():
    assert version.version_from_pyproject() == pyproject_version()
    out = subprocess.run([sys.executable, str(PKG / "version.py")], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == pyproject_version()
    assert version.version_tuple("1.2.3") == (1, 2, 3, 0)
    assert version.version_tuple("2.0") == (2, 0, 0, 0)


def test_windows_version_resource_is_filled_from_the_version():
    template = (PKG / "windows" / "version_info.txt").read_text(encoding="utf-8")
    text = version.render_version_info(template, "1.2.3")
    assert "@" not in text
    tree = ast.parse(text, mode="eval")  # PyInstaller eval()s this file
    assert isinstance(tree.body, ast.Call) and tree.body.func.id == "VSVersionInfo"
    assert text.count("(1, 2, 3, 0)") == 2 and text.count("'1.2.3'") == 2
    assert "version_resource" in SPEC and "render_version_info" in SPEC


def test_spec_bundles_every_desktop_module_and_the_resources():
    assert 'hiddenimports=collect_submodules("desktop")' in SPEC  # no hand-kept module list
    assert '(str(ROOT / "resources"), "resources")' in SPEC
    assert 'copy_metadata("dangjian", recursive=True)' in SPEC  # version + library licences
    for path in ("packaging/entry.py", "resources/icons/dangjian.ico", "packaging/licenses/LGPL-3.txt",
                 "packaging/licenses/GPL-3.txt", "packaging/windows/version_info.txt"):
        assert (ROOT / path).is_file(), path


def test_spec_uses_nothing_linux_only():
    assert not re.search(r"['\"]/(usr|opt|lib|etc|tmp)/", SPEC)
    assert not re.search(r"[A-Za-z]:\\\\", SPEC)  # no Windows drive paths either
    assert 'IS_WINDOWS = sys.platform == "win32"' in SPEC
    assert "subprocess" not in SPEC and "dpkg" not in SPEC


def test_excludes_leave_in_what_the_program_imports():
    used = imported_top_modules()
    qt_used = {m for m in used if m.startswith("PySide6.Qt")}
    assert {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"} <= qt_used
    assert not qt_used & set(spec_constant("QT_EXCLUDES"))
    excluded = set(spec_constant("PY_EXCLUDES"))
    for module in used:
        top = module.split(".")[0]
        assert top not in excluded and module not in excluded, module
    keep = spec_constant("QT_TRANSLATIONS_KEEP")
    assert "qtbase_zh_CN.qm" in keep  # app.py loads it for Qt's own dialogs


def test_build_checks_the_files_the_program_loads():
    from desktop.exports.pdf.fonts import SHIPPED_HEI, SHIPPED_SONG

    for name in (SHIPPED_SONG[0], SHIPPED_HEI[0]):
        assert f"resources/fonts/{name}" in BUILD
        assert (ROOT / "resources" / "fonts" / name).is_file()
    for lic in sorted((ROOT / "resources" / "fonts").glob("LICENSE-*.txt")):
        assert f"resources/fonts/{lic.name}" in BUILD
    assert "PySide6/Qt/translations/qtbase_zh_CN.qm" in BUILD
    assert "resources/icons/dangjian.png" in BUILD


def test_artefact_names_agree_between_build_smoke_and_docs():
    tar = "dangjian-$VERSION-linux-$ARCH.tar.gz"
    deb = "dangjian_${VERSION}_$ARCH.deb"
    for script in (BUILD, SMOKE):
        assert tar in script and deb in script
        assert "python3 packaging/version.py" in script
    readme = (PKG / "README.md").read_text(encoding="utf-8")
    assert "dangjian-VERSION-linux-ARCH.tar.gz" in readme and "dangjian_VERSION_ARCH.deb" in readme
    iss = (PKG / "windows" / "dangjian.iss").read_text(encoding="utf-8")
    assert "OutputBaseFilename=dangjian-{#AppVersion}-windows-setup" in iss
    assert "dangjian-VERSION-windows-setup.exe" in readme
    assert 'name="dangjian"' in SPEC and r"{app}\dangjian.exe" in iss
    ps1 = (PKG / "windows" / "build_windows.ps1").read_text(encoding="utf-8")
    assert "/DAppVersion=$version" in ps1 and r"packaging\dangjian.spec" in ps1


def test_inno_setup_paths_exist():
    raw = (PKG / "windows" / "dangjian.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Inno Setup < 6.3 reads BOM-less scripts as ANSI
    assert raw[3:].decode("utf-8").isascii() is False  # ...and the script has Chinese text
    ps1 = (PKG / "windows" / "build_windows.ps1").read_bytes()
    assert ps1.isascii()  # Windows PowerShell 5.1 reads BOM-less scripts as ANSI
    iss = raw.decode("utf-8-sig")
    here = PKG / "windows"
    for rel in re.findall(r"(?:SetupIconFile|LicenseFile|InfoBeforeFile)=(\S+)", iss):
        assert (here / rel.replace("\\", "/")).resolve().is_file(), rel


def test_desktop_entry_and_deb_control():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(PKG / "linux" / "dangjian.desktop", encoding="utf-8")
    e = entry["Desktop Entry"]
    assert e["Type"] == "Application" and e["Exec"].split()[0] == "dangjian" and e["Icon"] == "dangjian"
    assert "apps/dangjian.png" in BUILD and 'ln -s /opt/dangjian/dangjian "$PKG/usr/bin/dangjian"' in BUILD
    control = (PKG / "linux" / "control.in").read_text(encoding="utf-8")
    depends = re.search(r"^Depends: (.*)$", control, re.M).group(1)
    # Every Qt system library CI installs is a dependency of the .deb.
    apt = re.search(r"apt-get install[^\n]*\n((?:.*\\\n)*.*)", CI).group(1)
    libs = {w for w in re.findall(r"\blib[\w.+-]+", apt)}
    assert libs and all(lib in depends for lib in libs), libs - set(re.findall(r"lib[\w.+-]+", depends))
    for key in ("@VERSION@", "@ARCH@", "@SIZE@", "@GLIBC@"):
        assert key in control and key in BUILD


def test_ci_runs_readme_tests_then_builds_and_smoke_tests():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_cmd = 'python3 -m pip install -e ".[test]" && python3 -m pytest'
    assert test_cmd in readme and test_cmd in CI
    assert CI.index(test_cmd) < CI.index("packaging/build_linux.sh") < CI.index("packaging/smoke_test.sh")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_shell_scripts_parse():
    for script in (PKG / "build_linux.sh", PKG / "smoke_test.sh", ROOT / ".ci" / "run"):
        subprocess.run(["bash", "-n", str(script)], check=True)
