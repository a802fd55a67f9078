#!/usr/bin/env bash
# Build Unsit.app and dist/unsit-<version>-macos-<arch>.dmg. Run on macOS 11 or later.
#
#   installer/macos/build_macos.sh [--out DIR]
#
# Needs Python 3.10+ (python.org or Homebrew) and the Xcode command line tools (codesign,
# hdiutil and PlistBuddy ship with macOS). Makes a build venv in build/macos/venv, installs the
# project and PyInstaller there, freezes the app with installer/unsit.spec (which writes the
# Info.plist: bundle id app.unsit.Unsit, LSUIElement so Unsit lives in the menu bar only, the
# icon) and wraps it in a compressed disk image with an Applications shortcut.
#
# Environment:
#   BASE_PYTHON     the Python to make the venv with (default: python3)
#   SIGN_IDENTITY   a "Developer ID Application: ..." identity to sign with; without it the app
#                   is signed ad hoc, which runs on the build Mac but is quarantined elsewhere
#                   (users then open it with right-click > Open). Notarising is not automated.
set -euo pipefail

PYINSTALLER_VERSION=6.22.3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/dist
WORK=$ROOT/build/macos
while [ $# -gt 0 ]; do
    case $1 in
        --out) OUT=$2; shift 2 ;;
        -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "build_macos.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ "$(uname -s)" = Darwin ] || { echo "build_macos.sh runs on macOS only (see installer/README.md)" >&2; exit 1; }
mkdir -p "$OUT" "$WORK"

step() { printf '\n== %s\n' "$*"; }

step "Build venv"
[ -x "$WORK/venv/bin/python" ] || "${BASE_PYTHON:-python3}" -m venv "$WORK/venv"
PY=$WORK/venv/bin/python
"$PY" -m pip install --quiet --upgrade pip
"$PY" -m pip install --quiet "$ROOT" "pyinstaller==$PYINSTALLER_VERSION" "babel>=2.12"  # Babel: the spec compiles the translations
VERSION=$("$PY" -c 'import unsit; print(unsit.__version__)')
ARCH=$(uname -m)

step "Icon"
"$PY" "$ROOT/scripts/render_icons.py" --svg "$ROOT/assets/icons/unsit.svg" --icns "$WORK/unsit.icns"

step "Freezing Unsit $VERSION"
(cd "$ROOT" && UNSIT_ICON="$WORK/unsit.icns" UNSIT_VERSION="$VERSION" "$PY" -m PyInstaller --noconfirm \
    --log-level WARN --distpath "$WORK/dist" --workpath "$WORK/pyinstaller" installer/unsit.spec)
APP=$WORK/dist/Unsit.app
PLIST=$APP/Contents/Info.plist
for key in CFBundleIdentifier LSUIElement CFBundleShortVersionString CFBundleIconFile; do
    printf '%s: %s\n' "$key" "$(/usr/libexec/PlistBuddy -c "Print :$key" "$PLIST")"
done
"$APP/Contents/MacOS/unsit" --version

step "Signing"
if [ -n "${SIGN_IDENTITY:-}" ]; then
    codesign --force --deep --options runtime --timestamp --sign "$SIGN_IDENTITY" "$APP"
else
    codesign --force --deep --sign - "$APP"
fi
codesign --verify --deep --strict "$APP"

step "Disk image"
DMG=$OUT/unsit-$VERSION-macos-$ARCH.dmg
STAGE=$WORK/dmg
rm -rf "$STAGE" "$DMG"
mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -quiet -volname "Unsit $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"

echo "app (unpacked): $(du -sh "$APP" | cut -f1)"
echo "disk image:     $(du -h "$DMG" | cut -f1)"
echo "$DMG"
