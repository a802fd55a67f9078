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
#   SIGN_IDENTITY   a "Developer ID Application: ..." identity in the keychain to sign with
#                   (hardened runtime, secure timestamp; the DMG is signed too). Without it the
#                   app is signed ad hoc: it runs on the build Mac, and macOS 15 refuses it
#                   elsewhere until the user allows it in System Settings > Privacy & Security.
#   NOTARY_PROFILE  a notarytool keychain profile (xcrun notarytool store-credentials), or
#   NOTARY_APPLE_ID, NOTARY_TEAM_ID, NOTARY_PASSWORD (an app-specific password): with a
#                   SIGN_IDENTITY, the app and the DMG are notarised and the tickets stapled.
#                   Without them the build says so and skips notarisation.
set -euo pipefail

PYINSTALLER_VERSION=6.22.3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/dist
WORK=$ROOT/build/macos
while [ $# -gt 0 ]; do
    case $1 in
        --out) OUT=$2; shift 2 ;;
        -h | --help) sed -n '2,23p' "$0"; exit 0 ;;
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

# Signing inside out, without --deep (Apple: --deep is for verifying, not signing; it applies one
# set of options to everything and misses code outside the standard places): every library and
# framework first, then the app, whose signature then seals them.
sign() {
    if [ -n "${SIGN_IDENTITY:-}" ]; then
        codesign --force --options runtime --timestamp --sign "$SIGN_IDENTITY" "$@"
    else
        codesign --force --sign - "$@"
    fi
}
notary_args() {
    if [ -n "${NOTARY_PROFILE:-}" ]; then
        echo "--keychain-profile $NOTARY_PROFILE"
    elif [ -n "${NOTARY_APPLE_ID:-}" ] && [ -n "${NOTARY_TEAM_ID:-}" ] && [ -n "${NOTARY_PASSWORD:-}" ]; then
        echo "--apple-id $NOTARY_APPLE_ID --team-id $NOTARY_TEAM_ID --password $NOTARY_PASSWORD"
    fi
}
notarise() {  # notarise FILE: submit, wait for the verdict, staple the ticket
    # shellcheck disable=SC2046 # the arguments are words on purpose
    xcrun notarytool submit "$1" --wait $(notary_args)
}

step "Signing"
if [ -n "${SIGN_IDENTITY:-}" ]; then echo "signing as: $SIGN_IDENTITY"
else echo "SIGN_IDENTITY is not set: signing ad hoc (runs here; other Macs ask the user to allow it)"; fi
while IFS= read -r -d '' code; do
    sign "$code"
done < <(find "$APP/Contents" \( -name '*.so' -o -name '*.dylib' \) -type f -print0)
while IFS= read -r -d '' framework; do
    sign "$framework"
done < <(find "$APP/Contents" -name '*.framework' -type d -prune -print0)
sign "$APP"
codesign --verify --strict --verbose=2 "$APP"

if [ -n "${SIGN_IDENTITY:-}" ] && [ -n "$(notary_args)" ]; then
    step "Notarising the app"
    ditto -c -k --keepParent "$APP" "$WORK/Unsit-notarise.zip"
    notarise "$WORK/Unsit-notarise.zip"
    xcrun stapler staple "$APP"
else
    echo "not notarised: needs SIGN_IDENTITY and NOTARY_PROFILE (or NOTARY_APPLE_ID, NOTARY_TEAM_ID, NOTARY_PASSWORD)"
fi

step "Disk image"
DMG=$OUT/unsit-$VERSION-macos-$ARCH.dmg
STAGE=$WORK/dmg
rm -rf "$STAGE" "$DMG"
mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -quiet -volname "Unsit $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
if [ -n "${SIGN_IDENTITY:-}" ]; then
    codesign --force --timestamp --sign "$SIGN_IDENTITY" "$DMG"
    codesign --verify --verbose=2 "$DMG"
    if [ -n "$(notary_args)" ]; then
        step "Notarising the disk image"
        notarise "$DMG"
        xcrun stapler staple "$DMG"
        xcrun stapler validate "$DMG"
    fi
else
    echo "disk image not signed: SIGN_IDENTITY is not set"
fi

echo "app (unpacked): $(du -sh "$APP" | cut -f1)"
echo "disk image:     $(du -h "$DMG" | cut -f1)"
echo "$DMG"
