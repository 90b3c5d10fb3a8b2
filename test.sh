#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing (PoCL too, so the kernels also run on OpenCL), fetches ptxas
# and nvdisasm (so every kernel's PTX is assembled and its resources and SASS are checked), then `dotnet test`, and ends with the line
# `tests: N passed, N failed, N skipped` taken from the results file.
set -euo pipefail
cd "$(dirname "$0")"

scripts/setup.sh --opencl
if ptxas=$(scripts/fetch-ptxas.sh); then
    export VAEGPU_PTXAS="$ptxas"
else
    echo "test: ptxas unavailable (see the line above); the PTX assembly tests will be skipped" >&2
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
dotnet test VaeGpu.sln -c Release --nologo --logger "trx;LogFileName=results.trx" --results-directory "$results" || status=$?

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
    echo "test: no results file: the build or the test host failed" >&2
    echo "tests: 0 passed, 1 failed"
    exit 1
fi
counter() { grep -o "<Counters [^>]*" "$trx" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*"; }
# Ignored tests are counted in total but not in executed (the notExecuted counter stays 0 for them).
passed=$(counter passed); failed=$(counter failed); skipped=$(( $(counter total) - $(counter executed) ))
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] || status=1
exit $status
