#!/usr/bin/env bash
# Build the Linux one-folder app, a tarball with a .desktop entry, and a .deb.
#   bash packaging/build_linux.sh            -> dist/dangjian-VERSION-linux-ARCH.tar.gz, dist/dangjian_VERSION_ARCH.deb
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(python3 packaging/version.py)
ARCH=$(dpkg --print-architecture 2>/dev/null || uname -m)

python3 -m pip install -q "pyinstaller>=6.10"
python3 -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/dangjian.spec

# Tarball: the folder, the menu entry and the icon, with an install note.
STAGE=build/tar/dangjian-$VERSION
rm -rf build/tar && mkdir -p "$STAGE"
cp -a dist/dangjian "$STAGE/app"
cp packaging/linux/dangjian.desktop resources/icons/dangjian.png "$STAGE/"
cp packaging/linux/INSTALL.txt "$STAGE/"
tar -C build/tar -czf "dist/dangjian-$VERSION-linux-$ARCH.tar.gz" "dangjian-$VERSION"

# .deb: app in /opt/dangjian, launcher in /usr/bin, menu entry and icon.
PKG=build/deb/dangjian_${VERSION}_$ARCH
rm -rf build/deb && mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" \
  "$PKG/usr/share/applications" "$PKG/usr/share/icons/hicolor/256x256/apps"
cp -a dist/dangjian "$PKG/opt/dangjian"
ln -s /opt/dangjian/dangjian "$PKG/usr/bin/dangjian"
cp packaging/linux/dangjian.desktop "$PKG/usr/share/applications/"
cp resources/icons/dangjian.png "$PKG/usr/share/icons/hicolor/256x256/apps/dangjian.png"
SIZE=$(du -sk "$PKG" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE/" \
  packaging/linux/control.in > "$PKG/DEBIAN/control"
dpkg-deb --root-owner-group --build "$PKG" "dist/dangjian_${VERSION}_$ARCH.deb" >/dev/null
echo "built: dist/dangjian-$VERSION-linux-$ARCH.tar.gz dist/dangjian_${VERSION}_$ARCH.deb"
