#!/usr/bin/env bash
# Builds the self-contained single-file vaegpu for linux-x64 into dist/ (or the folder given as $1): one file that
# runs on a machine without .NET, e.g. a GPU machine that has only the NVIDIA driver.
#   untrimmed                                 trimming breaks ILGPU (it crashes in Context.Create)
#   IncludeNativeLibrariesForSelfExtract      SkiaSharp's and HarfBuzz's .so files go inside the file; without it they
#                                             land beside it and a lone copy aborts at its first PNG
#   InvariantGlobalization                    no ICU needed on the target
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"
dotnet publish src/VaeGpu.Cli -c Release -r linux-x64 --self-contained --nologo -v quiet \
    -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:InvariantGlobalization=true -p:DebugType=none -o "$out" >&2
ls "$out"/vaegpu >/dev/null
echo "$(cd "$out" && pwd)/vaegpu"
