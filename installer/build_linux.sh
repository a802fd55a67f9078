#!/usr/bin/env bash
# Build the Linux download: <out>/unsit-<version>-linux-<arch>.tar.gz
#
#   installer/build_linux.sh [--out DIR] [--work DIR]
#
# The archive holds one folder with the frozen app (unsit/), the menu entry, the icons, the
# AppStream metadata and install.sh (per-user install into ~/.local, and --uninstall).
#
# Environment:
#   PYTHON      a Python 3.10+ that has Unsit's dependencies (e.g. .venv/bin/python); PyInstaller
#               is installed into it if missing. Without it, a fresh venv is made in the work
#               folder and the project and PyInstaller are installed there.
#   UNSIT_KEEP  size cuts to skip (see installer/unsit.spec), for measuring them.
set -euo pipefail

PYINSTALLER_VERSION=6.22.3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/dist
WORK=$ROOT/build/linux

while [ $# -gt 0 ]; do
    case $1 in
        --out) OUT=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "build_linux.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
mkdir -p "$OUT" "$WORK"
OUT=$(cd "$OUT" && pwd)
WORK=$(cd "$WORK" && pwd)

step() { printf '\n== %s\n' "$*"; }

# --- A Python with the app's dependencies and PyInstaller ------------------------------------
if [ -n "${PYTHON:-}" ]; then
    PY=$PYTHON
else
    step "Making a build venv in $WORK/venv"
    if [ ! -x "$WORK/venv/bin/python" ]; then
        "${BASE_PYTHON:-python3}" -m venv "$WORK/venv"
    fi
    PY=$WORK/venv/bin/python
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install --quiet "$ROOT"
fi
if [ "$("$PY" -m PyInstaller --version 2>/dev/null || true)" != "$PYINSTALLER_VERSION" ]; then
    step "Installing PyInstaller $PYINSTALLER_VERSION"
    "$PY" -m pip install --quiet "pyinstaller==$PYINSTALLER_VERSION"
fi
# The spec compiles the translations with Babel (a build requirement, not bundled).
"$PY" -c 'import babel' 2>/dev/null || "$PY" -m pip install --quiet "babel>=2.12"

VERSION=$(PYTHONPATH="$ROOT/src" "$PY" -c 'import unsit; print(unsit.__version__)')
ARCH=$(uname -m)
NAME=unsit-$VERSION-linux-$ARCH
STAGE=$WORK/stage/$NAME
export UNSIT_VERSION=$VERSION

# --- Freeze ----------------------------------------------------------------------------------
step "Freezing Unsit $VERSION with PyInstaller"
(cd "$ROOT" && "$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$WORK/dist" --workpath "$WORK/pyinstaller" installer/unsit.spec)

# --- Lay out the archive folder --------------------------------------------------------------
step "Assembling $NAME"
rm -rf "$WORK/stage"
mkdir -p "$STAGE/share/applications" "$STAGE/share/metainfo" "$STAGE/share/icons"
cp -a "$WORK/dist/unsit" "$STAGE/unsit"
cp "$ROOT/installer/linux/app.unsit.Unsit.desktop" "$STAGE/share/applications/"
cp "$ROOT/installer/linux/app.unsit.Unsit.metainfo.xml" "$STAGE/share/metainfo/"
QT_QPA_PLATFORM=offscreen "$PY" "$ROOT/scripts/render_icons.py" --svg "$ROOT/assets/icons/unsit.svg" \
    --name unsit --hicolor "$STAGE/share/icons/hicolor"
install -m 755 "$ROOT/installer/linux/install.sh" "$STAGE/install.sh"

# --- Check -----------------------------------------------------------------------------------
step "Checking"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$STAGE/share/applications/app.unsit.Unsit.desktop"
    echo "desktop-file-validate: ok"
else
    echo "desktop-file-validate not installed: menu entry not checked"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$STAGE/share/metainfo/app.unsit.Unsit.metainfo.xml"
else
    echo "appstreamcli not installed: AppStream metadata not checked"
fi
# Every library and plugin in the bundle must find what it links against (in the bundle or
# on any Linux desktop); a cut that went too far shows up here.
internal=$STAGE/unsit/_internal
missing=$(find "$internal" -type f \( -name '*.so' -o -name '*.so.*' \) -print0 |
    LD_LIBRARY_PATH="$internal:$internal/PySide6/Qt/lib" xargs -0 ldd 2>/dev/null |
    awk '/^\// { file = $1 } /not found/ { print file " needs " $1 }' || true)
if [ -n "$missing" ]; then
    echo "Unresolved libraries:"
    echo "$missing"
    [ -n "${UNSIT_KEEP:-}" ] || exit 1
fi
echo "libraries: all resolved"

# --- Pack ------------------------------------------------------------------------------------
step "Packing"
ARCHIVE=$OUT/$NAME.tar.gz
tar -C "$WORK/stage" --owner=0 --group=0 --numeric-owner -cf - "$NAME" | gzip -9 >"$ARCHIVE"

unpacked=$(du -sb "$STAGE/unsit" | cut -f1)
packed=$(stat -c %s "$ARCHIVE")
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "bundle (unpacked): $(mib "$unpacked") ($unpacked bytes)"
echo "archive (tar.gz):  $(mib "$packed") ($packed bytes)"
echo "$ARCHIVE"
