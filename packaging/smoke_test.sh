#!/usr/bin/env bash
# Start the BUILT program as a clerk's first run would, from outside the source tree:
# fresh data directory, demo database, roster PDF (Chinese text, shipped fonts embedded)
# and Excel file, an old .xls roster read, the GUI started offscreen and closed by itself; then the same from the
# .deb unpacked into a temporary root and from the tarball. Any failure exits non-zero.
#   bash packaging/smoke_test.sh [dist/dangjian/dangjian]
# Needs: pdftotext and pdffonts (poppler-utils), dpkg-deb.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
VERSION=$(python3 packaging/version.py)
ARCH=$(dpkg --print-architecture 2>/dev/null || uname -m)
BIN=$(realpath -m "${1:-dist/dangjian/dangjian}")
DEB=$REPO/dist/dangjian_${VERSION}_$ARCH.deb
TAR=$REPO/dist/dangjian-$VERSION-linux-$ARCH.tar.gz
START=$SECONDS

fail() { echo "SMOKE TEST FAILED: $*" >&2; exit 1; }
step() { echo "--- [$((SECONDS - START)) s] $*"; }
for tool in pdftotext pdffonts dpkg-deb; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install poppler-utils dpkg)"
done
[ -x "$BIN" ] || fail "no built program at $BIN (run packaging/build_linux.sh first)"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Nothing from the developer's environment may help the frozen program.
unset DANGJIAN_DB PYTHONPATH PYTHONHOME QT_PLUGIN_PATH QML2_IMPORT_PATH || true
export QT_QPA_PLATFORM=offscreen
# PDFs use the fonts inside the bundle, not whatever this machine has installed.
export DANGJIAN_PDF_FONT_SHIPPED_ONLY=1

# check_program NAME BINARY MEMBERS: one clerk's first run in its own data directory.
check_program() {
  local name=$1 bin=$2 members=$3
  local data=$WORK/$name-data out=$WORK/$name-out
  mkdir -p "$out"
  export DANGJIAN_DATA_DIR=$data
  cd "$WORK"  # not the repository: resources must come from the bundle

  step "$name: demo database with $members members (fresh data directory $data)"
  "$bin" demo --members "$members" || fail "$name: 'dangjian demo' exited $?"
  [ -s "$data/dangjian.sqlite3" ] || fail "$name: demo did not create $data/dangjian.sqlite3"
  "$bin" where | grep -qF "$data/dangjian.sqlite3" || fail "$name: 'dangjian where' does not name $data"
  "$bin" org list > "$out/orgs.txt" || fail "$name: 'dangjian org list' failed"
  grep -q "党" "$out/orgs.txt" || fail "$name: 'org list' printed no organisation"

  step "$name: roster PDF and Excel"
  "$bin" export roster --out "$out/花名册.pdf" || fail "$name: roster PDF export exited $?"
  head -c 5 "$out/花名册.pdf" | grep -q '%PDF-' || fail "$name: $out/花名册.pdf is not a PDF"
  pdftotext -layout "$out/花名册.pdf" "$out/roster.txt" || fail "$name: pdftotext cannot read the roster PDF"
  grep -q "党员" "$out/roster.txt" || fail "$name: no Chinese text (党员) in the roster PDF: $(head -c 300 "$out/roster.txt")"
  pdffonts "$out/花名册.pdf" > "$out/fonts.txt"
  grep -Eqi "WenQuanYi|Bousung|SungtiL" "$out/fonts.txt" \
    || fail "$name: the roster PDF does not embed the shipped fonts: $(cat "$out/fonts.txt")"
  "$bin" export roster --out "$out/花名册.xlsx" || fail "$name: roster Excel export exited $?"
  head -c 2 "$out/花名册.xlsx" | grep -q 'PK' || fail "$name: $out/花名册.xlsx is not an .xlsx file"

  step "$name: an Excel 97-2003 roster read (xlrd inside the bundle), dry run"
  "$bin" import roster "$WORK/old-roster.xls" --org 朝阳社区党委 --create-branches --dry-run \
    > "$out/import.txt" || fail "$name: importing an .xls roster exited $?: $(tail -5 "$out/import.txt")"
  grep -q "新增5人" "$out/import.txt" || fail "$name: the .xls roster was not read: $(cat "$out/import.txt")"

  step "$name: GUI offscreen, closes itself after 2 s"
  local rc=0
  DANGJIAN_QUIT_AFTER_MS=2000 timeout 120 "$bin" || rc=$?
  [ "$rc" = 0 ] || fail "$name: the GUI exited with $rc (log: $(tail -5 "$data/logs/dangjian.log" 2>/dev/null))"
  [ -s "$data/logs/dangjian.log" ] || fail "$name: the GUI wrote no log in $data/logs"
  if grep -q "qtbase_zh_CN not found" "$data/logs/dangjian.log"; then
    fail "$name: Qt's Chinese translations (qtbase_zh_CN.qm) were not found"
  fi
  if grep -Eq "ERROR|Traceback" "$data/logs/dangjian.log"; then
    fail "$name: errors in the log: $(grep -E -A3 'ERROR|Traceback' "$data/logs/dangjian.log" | head -20)"
  fi
  cd "$REPO"
}

# An old-format roster, written by the test helpers (xlwt, from the [test] extras).
python3 -c 'import sys; from pathlib import Path; from tests import messy_workbooks as mw
mw.old_format_roster(Path(sys.argv[1]), [("第一网格党支部", mw.people(3)), ("第二网格党支部", mw.people(2, 10))])' \
  "$WORK/old-roster.xls" || fail "cannot write the .xls roster (pip install -e '.[test]')"
check_program built "$BIN" 200

step "built: what the About box reads (version, licence texts) is inside the bundle"
python3 - "$(dirname "$BIN")/_internal" "$VERSION" <<'PY' || fail "licences or version metadata missing from the bundle"
import sys
from importlib import metadata
from pathlib import Path

from desktop.ui.dialogs.about_dialog import MAIN_LIBRARIES, QT_DISTS, QT_LICENCE_FILES

internal, version = Path(sys.argv[1]), sys.argv[2]
found = {metadata.Prepared.normalize(d.metadata["Name"]): d for d in metadata.distributions(path=[str(internal)])}
assert found["dangjian"].version == version, f"bundled dangjian metadata is {found['dangjian'].version}"
for _, name in MAIN_LIBRARIES:
    dist = found[metadata.Prepared.normalize(name)]
    if metadata.Prepared.normalize(name).replace("-", "_") in QT_DISTS:
        continue
    files = dist.metadata.get_all("License-File") or []
    assert any(dist.read_text(f"licenses/{f}") or dist.read_text(f) for f in files), f"no licence file for {name}"
for f in [*QT_LICENCE_FILES, "python/LICENSE.txt"]:
    assert (internal / "licenses" / f).stat().st_size > 1000, f
print(f"  dangjian {version}; licences of {len(MAIN_LIBRARIES)} main libraries, Qt and Python bundled")
PY

step "deb: contents of $(basename "$DEB")"
[ -s "$DEB" ] || fail "no .deb at $DEB"
dpkg-deb --info "$DEB" > "$WORK/deb-info.txt" || fail "dpkg-deb cannot read $DEB"
grep -q "^ Version: $VERSION$" "$WORK/deb-info.txt" || fail ".deb control has no 'Version: $VERSION'"
grep -q "^ Depends: libc6 (>= 2\.[0-9]*).*libxcb-cursor0" "$WORK/deb-info.txt" || fail ".deb control does not depend on the Qt system libraries"
ROOTFS=$WORK/root
dpkg-deb -x "$DEB" "$ROOTFS"
[ -x "$ROOTFS/opt/dangjian/dangjian" ] || fail ".deb has no /opt/dangjian/dangjian"
[ "$(readlink "$ROOTFS/usr/bin/dangjian")" = /opt/dangjian/dangjian ] \
  || fail ".deb: /usr/bin/dangjian is not a link to /opt/dangjian/dangjian"
for f in usr/share/applications/dangjian.desktop usr/share/icons/hicolor/256x256/apps/dangjian.png \
         usr/share/icons/hicolor/48x48/apps/dangjian.png usr/share/doc/dangjian/copyright; do
  [ -s "$ROOTFS/$f" ] || fail ".deb has no /$f"
done
grep -q "^Exec=dangjian" "$ROOTFS/usr/share/applications/dangjian.desktop" || fail ".desktop Exec is not dangjian"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$ROOTFS/usr/share/applications/dangjian.desktop" || fail ".desktop file is invalid"
fi
# /usr/bin/dangjian is a symbolic link; start it through one, as the menu entry does.
mkdir -p "$WORK/bin" && ln -s "$ROOTFS/opt/dangjian/dangjian" "$WORK/bin/dangjian"
check_program deb "$WORK/bin/dangjian" 30

step "tarball: $(basename "$TAR")"
[ -s "$TAR" ] || fail "no tarball at $TAR"
mkdir -p "$WORK/tar" && tar -C "$WORK/tar" -xzf "$TAR"
T=$WORK/tar/dangjian-$VERSION
for f in app/dangjian dangjian.desktop dangjian.png INSTALL.txt; do
  [ -s "$T/$f" ] || fail "tarball has no dangjian-$VERSION/$f"
done
DANGJIAN_DATA_DIR=$WORK/tar-data "$T/app/dangjian" demo --members 10 >/dev/null \
  || fail "the tarball's app/dangjian cannot create a demo database"

echo "smoke test passed in $((SECONDS - START)) s: $BIN, $(basename "$DEB"), $(basename "$TAR")"
