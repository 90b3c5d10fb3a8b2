#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them; prints the result tables and the machine-load line.
#   bench/run.sh                    the whole suite (~5-8 minutes on 2 cores)
#   bench/run.sh '*MatMul*'         only the classes/methods matching the glob(s)
#   bench/run.sh --list flat        any argument starting with '-' is passed to BenchmarkDotNet as is
# The full BenchmarkDotNet log goes to $ARTIFACTS/run.log; the tables are also in $ARTIFACTS/results/ (md, csv, html).
# Exits non-zero when the build fails, a benchmark fails, or the filter selects nothing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/bench/VaeGpu.Bench"
artifacts="${ARTIFACTS:-$project/BenchmarkDotNet.Artifacts}"
cd "$root"

if [[ $# -eq 0 ]]; then
  set -- --filter '*'
elif [[ "$1" != -* ]]; then
  set -- --filter "$@"
fi

started=$(date +%s)
dotnet build -c Release "$project" -nologo -v quiet

mkdir -p "$artifacts"
log="$artifacts/run.log"

# Progress: one line per benchmark case; everything else goes to the log.
set +e
dotnet run -c Release --no-build --project "$project" -- --artifacts "$artifacts" "$@" 2>&1 \
  | tee "$log" \
  | grep --line-buffered -E '^// Benchmark: |^// \*{5} |^Machine load|FAILED|Exception|error [A-Z]+[0-9]+|No benchmark'
status=${PIPESTATUS[0]}
set -e

# Each class's summary as BenchmarkDotNet printed it: environment, table, legends (without the GitHub export's bold).
awk '/^\/\/ \* (Summary|Warnings|Legends) \*/ { show = 1 } /^\/\/ \* (Hints|Diagnostic Output)/ { show = 0 } show' "$log"
echo
grep -E '^Machine load' "$log" || true
echo "bench/run.sh: total wall time $(( $(date +%s) - started )) s, exit status $status (log: $log)"
exit "$status"
