#!/usr/bin/env bash
# Build the Linux one-folder app, a tarball with a .desktop entry and icon, and a .deb.
#   bash packaging/build_linux.sh
#     -> dist/dangjian/                              the one-folder app (dist/dangjian/dangjian)
#        dist/dangjian-VERSION-linux-ARCH.tar.gz      app/ + dangjian.desktop + dangjian.png + INSTALL.txt
#        dist/dangjian_VERSION_ARCH.deb               /opt/dangjian, /usr/bin/dangjian, menu entry, icons
# Needs: python3 with the project installed (pip install -e .), PyInstaller, dpkg-deb.
# SKIP_PYINSTALLER=1 re-packs an existing dist/dangjian without rebuilding it.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "build_linux.sh: $*" >&2; exit 1; }
START=$SECONDS
VERSION=$(python3 packaging/version.py)
[ -n "$VERSION" ] || die "no version in pyproject.toml"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found (apt-get install dpkg)"
ARCH=$(dpkg --print-architecture 2>/dev/null || uname -m)

if [ "${SKIP_PYINSTALLER:-0}" != 1 ]; then
  python3 -c "import PyInstaller" 2>/dev/null || python3 -m pip install -q "pyinstaller>=6.10"
  # The bundle's version (About box) comes from the installed metadata; the spec refuses
  # to build if it differs from pyproject.toml.
  rm -rf dist/dangjian
  python3 -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/dangjian.spec
fi
APP=dist/dangjian
[ -x "$APP/dangjian" ] || die "$APP/dangjian was not built"
# What the program needs at run time must be inside the folder.
for f in resources/fonts/wqy-microhei.ttc resources/fonts/gbsn00lp.ttf \
         resources/fonts/LICENSE-gbsn00lp.txt resources/fonts/LICENSE-wqy-microhei.txt \
         resources/icons/dangjian.png licenses/LGPL-3.txt licenses/GPL-3.txt \
         PySide6/Qt/translations/qtbase_zh_CN.qm; do
  [ -s "$APP/_internal/$f" ] || die "missing in the bundle: _internal/$f"
done
# The program's own metadata (.dist-info, or .egg-info for an editable install) carries
# the version the About box shows.
grep -qx "Version: $VERSION" "$APP"/_internal/dangjian*-info/{METADATA,PKG-INFO} 2>/dev/null \
  || die "missing in the bundle: dangjian $VERSION metadata (version for the About box)"
echo "app folder: $(du -sh "$APP" | cut -f1) in $APP (PyInstaller done after $((SECONDS - START)) s)"

# Tarball: the folder, the menu entry and the icon, with an install note.
TAR=dist/dangjian-$VERSION-linux-$ARCH.tar.gz
STAGE=build/tar/dangjian-$VERSION
rm -rf build/tar && mkdir -p "$STAGE"
cp -a "$APP" "$STAGE/app"
cp packaging/linux/dangjian.desktop resources/icons/dangjian.png packaging/linux/INSTALL.txt "$STAGE/"
tar -C build/tar --owner=0 --group=0 -czf "$TAR" "dangjian-$VERSION"

# .deb: app in /opt/dangjian, launcher in /usr/bin, menu entry and icons.
DEB=dist/dangjian_${VERSION}_$ARCH.deb
PKG=build/deb/dangjian_${VERSION}_$ARCH
rm -rf build/deb
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
  "$PKG/usr/share/icons/hicolor/256x256/apps" "$PKG/usr/share/icons/hicolor/48x48/apps" \
  "$PKG/usr/share/doc/dangjian"
cp -a "$APP" "$PKG/opt/dangjian"
ln -s /opt/dangjian/dangjian "$PKG/usr/bin/dangjian"
cp packaging/linux/dangjian.desktop "$PKG/usr/share/applications/dangjian.desktop"
cp resources/icons/dangjian.png "$PKG/usr/share/icons/hicolor/256x256/apps/dangjian.png"
cp resources/icons/dangjian-48.png "$PKG/usr/share/icons/hicolor/48x48/apps/dangjian.png"
cp packaging/linux/copyright "$PKG/usr/share/doc/dangjian/copyright"
SIZE=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
# The newest glibc symbol any bundled binary needs becomes the libc6 dependency, so that
# apt refuses an older system (PySide6 6.12's Qt needs glibc 2.34) instead of a crash.
command -v objdump >/dev/null || die "objdump not found (apt-get install binutils)"
GLIBC=$(find "$APP" -type f \( -name '*.so*' -o -name dangjian \) -print0 \
  | { xargs -0 objdump -T 2>/dev/null || true; } | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' \
  | sort -uV | tail -1 || true)
[ -n "$GLIBC" ] || die "could not read the glibc version the bundle needs"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE/" -e "s/@GLIBC@/$GLIBC/" \
  packaging/linux/control.in > "$PKG/DEBIAN/control"
chmod -R u+rwX,go+rX,go-w "$PKG"
# xz level 3: a few MB bigger than the default level 6 but several times faster.
dpkg-deb --root-owner-group -Zxz -z3 --build "$PKG" "$DEB" >/dev/null

echo "built in $((SECONDS - START)) s (needs glibc >= $GLIBC):"
ls -l "$TAR" "$DEB" | awk '{printf "  %s  %.1f MB\n", $NF, $5 / 1048576}'
