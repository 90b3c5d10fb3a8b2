#!/usr/bin/env bash
# Installs what is missing, builds vaegpu (Release) and runs it with the given arguments.
# With no arguments it trains the VAE on Fashion-MNIST into runs/vae, resuming that run if it was interrupted.
set -euo pipefail
cd "$(dirname "$0")"

scripts/setup.sh
dotnet build src/VaeGpu.Cli -c Release --nologo -v quiet -clp:ErrorsOnly >&2
if [ $# -eq 0 ]; then
    set -- train --out runs/vae
    [ -f runs/vae/checkpoint.safetensors ] && set -- "$@" --resume
fi
exec dotnet src/VaeGpu.Cli/bin/Release/net10.0/vaegpu.dll "$@"
