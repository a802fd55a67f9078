#!/usr/bin/env bash
# Checks on a real Mac (the CI workflow's macOS job) of the Unsit.app that build_macos.sh made:
#   installer/macos/ci_checks.sh PATH/TO/Unsit.app
# 1. the signature verifies (strict) and, when signed for distribution, Gatekeeper accepts it;
# 2. Info.plist: LSUIElement true, LSMinimumSystemVersion = QtCore's own minimum (otool);
# 3. `open -a` starts it, `unsit status --json` answers from it, a second `open -a` leaves one process.
# Never run from the machine this was written on (Linux); a failing step names what it expected.
set -euo pipefail
APP=$1
PLIST=$APP/Contents/Info.plist
BIN=$APP/Contents/MacOS/unsit
fail() { echo "::error::$*"; exit 1; }
wait_until() {  # wait_until SECONDS WHAT COMMAND...
    local seconds=$1 what=$2; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || fail "timed out after $seconds s waiting for $what"
        sleep 0.25
    done
}

echo "== Signature"
codesign --verify --strict --verbose=2 "$APP"
if codesign -dv "$APP" 2>&1 | grep -q "Signature=adhoc"; then
    echo "signed ad hoc (no SIGN_IDENTITY): Gatekeeper assessment skipped"
else
    spctl --assess --type execute --verbose=2 "$APP"
fi

echo "== Info.plist"
[ "$(/usr/libexec/PlistBuddy -c 'Print :LSUIElement' "$PLIST")" = true ] || fail "LSUIElement is not true"
minimum=$(/usr/libexec/PlistBuddy -c 'Print :LSMinimumSystemVersion' "$PLIST")
qtcore=$(find "$APP/Contents" -path '*QtCore.framework/Versions/A/QtCore' -type f | head -1)
[ -n "$qtcore" ] || fail "no QtCore.framework in the bundle"
qt_minimum=$(otool -l "$qtcore" | awk '/LC_BUILD_VERSION/ { found = 1 } found && $1 == "minos" { print $2; exit }')
echo "LSMinimumSystemVersion $minimum, QtCore's minos $qt_minimum"
[ "$minimum" = "$qt_minimum" ] || [ "$minimum" = "$qt_minimum.0" ] || fail "LSMinimumSystemVersion $minimum is not QtCore's $qt_minimum"

echo "== Launch, status, second launch"
open -a "$APP"
wait_until 60 "unsit status to answer" "$BIN" status --json
"$BIN" status --json | python3 -c 'import json, sys; s = json.load(sys.stdin); assert "phase" in s, s; print("status:", s["phase"])'
open -a "$APP"
sleep 3  # open -a returns at once; give a wrongly started second instance time to appear
count=$(pgrep -f "$BIN" | wc -l | tr -d ' ')
[ "$count" = 1 ] || fail "$count Unsit processes after a second open -a (one expected)"
"$BIN" quit
wait_until 20 "Unsit to quit" sh -c "! pgrep -f '$BIN'"
echo "all macOS app checks passed"
