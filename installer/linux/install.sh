#!/bin/sh
# Install Unsit for the current user (no root needed), or remove it again.
#
#   ./install.sh               install or update from this unpacked folder
#   ./install.sh --uninstall   remove what an earlier install put in place
#
# Where things go (~/.local unless UNSIT_PREFIX says otherwise; XDG_DATA_HOME is honoured):
#   ~/.local/lib/unsit/                          the app (a self-contained bundle)
#   ~/.local/bin/unsit                           a link to it, for the command line
#   ~/.local/share/applications/app.unsit.Unsit.desktop    the menu entry
#   ~/.local/share/icons/hicolor/*/apps/unsit.{png,svg}    the icon
#   ~/.local/share/metainfo/app.unsit.Unsit.metainfo.xml   software-centre metadata
# Uninstalling also removes the "start at login" entry Unsit may have written, but keeps
# your settings and history (~/.config/unsit, ~/.local/share/unsit).
set -eu

APP_ID=app.unsit.Unsit
PREFIX=${UNSIT_PREFIX:-$HOME/.local}
DATA_DIR=${XDG_DATA_HOME:-$PREFIX/share}
CONFIG_DIR=${XDG_CONFIG_HOME:-$HOME/.config}
LIB_DIR=$PREFIX/lib/unsit
BIN_LINK=$PREFIX/bin/unsit
MANIFEST=$LIB_DIR/install-manifest.txt
HERE=$(cd "$(dirname "$0")" && pwd)

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

refresh_caches() {
    # Menus and icon themes notice new files on their own; these make it immediate.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$DATA_DIR/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -d "$DATA_DIR/icons/hicolor" ]; then
        gtk-update-icon-cache -q -t -f "$DATA_DIR/icons/hicolor" 2>/dev/null || true
    fi
    [ -d "$DATA_DIR/icons/hicolor" ] && touch "$DATA_DIR/icons/hicolor"
    return 0
}

# The Exec= value for the installed program, quoted per the Desktop Entry spec.
desktop_exec() {
    case $1 in
        *[\"\`\$\\%]* | *"
"*) die "cannot write a menu entry for a path with quotes, \$, % or backslashes: $1" ;;
        *[[:space:]\'\>\<~\|\&\;\*\?\#\(\)]*) printf '"%s"' "$1" ;;
        *) printf '%s' "$1" ;;
    esac
}

remove_installed_files() {
    # Files outside the bundle are listed in the manifest; fall back to the known names.
    if [ -f "$MANIFEST" ]; then
        while IFS= read -r path; do
            [ -n "$path" ] && rm -f "$path"
        done <"$MANIFEST"
    else
        rm -f "$DATA_DIR/applications/$APP_ID.desktop" "$DATA_DIR/metainfo/$APP_ID.metainfo.xml"
        rm -f "$DATA_DIR"/icons/hicolor/*/apps/unsit.png "$DATA_DIR/icons/hicolor/scalable/apps/unsit.svg"
    fi
    if [ -L "$BIN_LINK" ] && [ "$(readlink "$BIN_LINK")" = "$LIB_DIR/unsit" ]; then
        rm -f "$BIN_LINK"
    fi
}

install_app() {
    [ -x "$HERE/unsit/unsit" ] || die "run me from the unpacked unsit-<version>-linux-<arch> folder (no ./unsit/unsit here)"
    [ -f "$HERE/share/applications/$APP_ID.desktop" ] || die "share/applications/$APP_ID.desktop is missing"
    exec_value=$(desktop_exec "$LIB_DIR/unsit")

    remove_installed_files
    mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$DATA_DIR/applications" "$DATA_DIR/metainfo"
    # Copy next to the old bundle, then swap, so a failed copy leaves the old one working.
    staging="$LIB_DIR.new.$$"
    rm -rf "$staging"
    cp -R "$HERE/unsit" "$staging"
    cp "$HERE/install.sh" "$staging/install.sh"
    chmod 755 "$staging/install.sh"
    rm -rf "$LIB_DIR"
    mv "$staging" "$LIB_DIR"

    : >"$MANIFEST"
    ln -sfn "$LIB_DIR/unsit" "$BIN_LINK"
    say "$BIN_LINK" >>"$MANIFEST"

    desktop="$DATA_DIR/applications/$APP_ID.desktop"
    while IFS= read -r line; do
        case $line in
            Exec=unsit\ *) say "Exec=$exec_value ${line#Exec=unsit }" ;;  # desktop actions keep their command
            Exec=*) say "Exec=$exec_value" ;;
            *) say "$line" ;;
        esac
    done <"$HERE/share/applications/$APP_ID.desktop" >"$desktop"
    chmod 644 "$desktop"
    say "$desktop" >>"$MANIFEST"

    metainfo="$DATA_DIR/metainfo/$APP_ID.metainfo.xml"
    cp "$HERE/share/metainfo/$APP_ID.metainfo.xml" "$metainfo"
    chmod 644 "$metainfo"
    say "$metainfo" >>"$MANIFEST"

    (cd "$HERE/share/icons" && find hicolor -type f) | while IFS= read -r icon; do
        mkdir -p "$(dirname "$DATA_DIR/icons/$icon")"
        cp "$HERE/share/icons/$icon" "$DATA_DIR/icons/$icon"
        chmod 644 "$DATA_DIR/icons/$icon"
        say "$DATA_DIR/icons/$icon" >>"$MANIFEST"
    done

    refresh_caches
    say "Unsit is installed in $LIB_DIR and in your applications menu."
    case ":${PATH:-}:" in
        *":$PREFIX/bin:"*) say "Run it from the menu or with: unsit" ;;
        *) say "Run it from the menu or with: $BIN_LINK ($PREFIX/bin is not on your PATH)" ;;
    esac
    say "To remove it: $LIB_DIR/install.sh --uninstall"
}

uninstall_app() {
    case $LIB_DIR in
        */lib/unsit) ;;
        *) die "refusing to remove an unexpected folder: $LIB_DIR" ;;
    esac
    [ -d "$LIB_DIR" ] || [ -f "$DATA_DIR/applications/$APP_ID.desktop" ] || die "Unsit is not installed under $PREFIX"
    if [ -x "$LIB_DIR/unsit" ]; then
        # A running Unsit would hold on to the deleted files: ask it to quit first.
        "$LIB_DIR/unsit" quit >/dev/null 2>&1 || true
    fi
    remove_installed_files
    autostart="$CONFIG_DIR/autostart/unsit.desktop"
    if [ -f "$autostart" ] && grep -q "$LIB_DIR/unsit" "$autostart"; then
        rm -f "$autostart"
    fi
    rm -rf "$LIB_DIR"
    refresh_caches
    say "Unsit is removed. Your settings and history are kept in $CONFIG_DIR/unsit and $DATA_DIR/unsit."
}

case ${1:-} in
    "") install_app ;;
    --uninstall) uninstall_app ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown option: $1 (use --uninstall, or no option to install)" ;;
esac
