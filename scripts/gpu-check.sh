#!/usr/bin/env bash
# The one prepared check for a GPU machine that has the NVIDIA driver and no .NET. It needs only the published file
# (scripts/publish.sh) and, for the epoch, Fashion-MNIST's IDX files:
#   scripts/gpu-check.sh REPORT_DIR [VAEGPU_FILE] [FASHION_MNIST_DIR]
# defaults: VAEGPU_FILE dist/vaegpu; FASHION_MNIST_DIR the folder data/ beside the file if it exists, else
# Debian's /usr/share/datasets/fashion-mnist. It runs `devices`, `check --device cuda`, `bench --device cuda` and one
# training epoch, and writes REPORT_DIR/report.txt (readable) and REPORT_DIR/report.json, plus each step's own
# output. Each step has a time limit (30 + 75 + 75 + 60 + 45 s), so the whole check ends within 5 minutes. Exit code 0 only when every step
# succeeded (check: every case passed).
set -uo pipefail

report=${1:?usage: scripts/gpu-check.sh REPORT_DIR [VAEGPU_FILE] [FASHION_MNIST_DIR]}
vaegpu=${2:-dist/vaegpu}
data=${3:-}
if [ -z "$data" ]; then
    if [ -d "$(dirname "$vaegpu")/data" ]; then data="$(dirname "$vaegpu")/data"; else data=/usr/share/datasets/fashion-mnist; fi
fi
[ -x "$vaegpu" ] || { echo "gpu-check: $vaegpu is not an executable vaegpu: build it with scripts/publish.sh" >&2; exit 2; }
[ -e "$report" ] && [ -n "$(ls -A "$report" 2>/dev/null)" ] && { echo "gpu-check: $report is not empty: give a new folder" >&2; exit 2; }
mkdir -p "$report" 2>/dev/null && [ -w "$report" ] || { echo "gpu-check: cannot write to $report: give a writable folder" >&2; exit 2; }

status=0
# step NAME SECONDS ARGS...: runs vaegpu ARGS with a time limit; stdout to NAME.out, stderr to NAME.err.
step() {
    local name=$1 limit=$2; shift 2
    timeout "$limit" "$vaegpu" "$@" > "$report/$name.out" 2> "$report/$name.err"
    local code=$?
    echo "$code" > "$report/$name.exit"
    [ "$code" -eq 0 ] || status=1
    printf '%-8s exit %3d  vaegpu %s\n' "$name" "$code" "$*" >> "$report/steps.txt"
}

step devices 30 devices
step check 75 check --device cuda
step checkjson 75 check --device cuda --json
step bench 60 bench --device cuda --json --data "$data"
step epoch 45 train --device cuda --epochs 1 --data "$data" --out "$report/epoch"

json_of() { if [ -s "$report/$1.out" ] && [ "$(cat "$report/$1.exit")" != 124 ]; then cat "$report/$1.out"; else echo null; fi; }
{
    echo "# vaegpu GPU check, $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname)"
    echo
    cat "$report/steps.txt"
    echo
    echo "## devices"; cat "$report/devices.out" "$report/devices.err"
    echo; echo "## check --device cuda"; cat "$report/check.out" "$report/check.err"
    echo; echo "## bench --device cuda (JSON)"; cat "$report/bench.out" "$report/bench.err"
    echo; echo "## one training epoch"; cat "$report/epoch.out" "$report/epoch.err"
} > "$report/report.txt"
{
    printf '{"devices": %s,\n' "$(sed 's/\\/\\\\/g; s/"/\\"/g' "$report/devices.out" | awk 'BEGIN{printf "\""} {printf "%s\\n", $0} END{printf "\""}')"
    printf '"check": %s,\n' "$(json_of checkjson)"
    printf '"bench": %s,\n' "$(json_of bench)"
    printf '"epoch_metrics_csv": %s,\n' "$( [ -f "$report/epoch/metrics.csv" ] && sed 's/"/\\"/g' "$report/epoch/metrics.csv" | awk 'BEGIN{printf "\""} {printf "%s\\n", $0} END{printf "\""}' || echo null)"
    printf '"exit_codes": {"devices": %s, "check": %s, "bench": %s, "epoch": %s}}\n' \
        "$(cat "$report/devices.exit")" "$(cat "$report/check.exit")" "$(cat "$report/bench.exit")" "$(cat "$report/epoch.exit")"
} > "$report/report.json"
echo "gpu-check: wrote $report/report.txt and $report/report.json (exit $status)" >&2
exit $status
