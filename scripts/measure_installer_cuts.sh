#!/usr/bin/env bash
# Measure what each size cut in installer/unsit.spec saves (Linux).
#
#   PYTHON=.venv/bin/python scripts/measure_installer_cuts.sh [WORKDIR]
#
# Builds the bundle once with every cut, once with none, and once per cut with only that cut
# switched off (UNSIT_KEEP=<cut>); the saving of a cut is what switching it off adds. Sizes are
# the unpacked bundle and the bundle alone packed with gzip -9 (as build_linux.sh packs it).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-python3}
WORK=${1:-$ROOT/build/cuts}
CUTS=(qt-plugins wayland gtk-theme translations icu ssl strip)
mkdir -p "$WORK"

measure() {  # measure LABEL KEEP -> "unpacked packed" in bytes
    local label=$1 keep=$2 dist=$WORK/$1
    (cd "$ROOT" && UNSIT_KEEP=$keep "$PY" -m PyInstaller --noconfirm --log-level ERROR \
        --distpath "$dist" --workpath "$WORK/pyinstaller-$label" installer/unsit.spec >/dev/null)
    tar -C "$dist" -cf - unsit | gzip -9 >"$dist.tar.gz"
    echo "$(du -sb "$dist/unsit" | cut -f1) $(stat -c %s "$dist.tar.gz")"
}
mib() { awk -v b="$1" 'BEGIN { printf "%6.1f", b / 1048576 }'; }

all_keep=$(IFS=,; echo "${CUTS[*]}")
read -r none_u none_p < <(measure none "$all_keep")
read -r all_u all_p < <(measure all "")
printf '%-14s %12s %12s\n' "cut" "unpacked MiB" "tar.gz MiB"
printf '%-14s %12s %12s\n' "(no cuts)" "$(mib "$none_u")" "$(mib "$none_p")"
for cut in "${CUTS[@]}"; do
    read -r u p < <(measure "keep-$cut" "$cut")
    printf '%-14s %12s %12s\n' "$cut" "-$(mib $((u - all_u)))" "-$(mib $((p - all_p)))"
done
printf '%-14s %12s %12s\n' "(all cuts)" "$(mib "$all_u")" "$(mib "$all_p")"
