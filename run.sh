#!/usr/bin/env bash
# Installs what is missing, builds vaegpu (Release) and runs it with the given arguments.
# With no arguments it lists the devices found.
set -euo pipefail
cd "$(dirname "$0")"

scripts/setup.sh
dotnet build src/VaeGpu.Host -c Release --nologo -v quiet -clp:ErrorsOnly >&2
[ $# -gt 0 ] || set -- devices
exec dotnet src/VaeGpu.Host/bin/Release/net10.0/vaegpu.dll "$@"
