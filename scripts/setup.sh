#!/usr/bin/env bash
# Installs what VaeGpu needs from Debian's packages, only where it is missing:
#   libopenblas0-pthread   the host path's matrix products (without it a slower managed product is used)
#   dataset-fashion-mnist  the default training data (/usr/share/datasets/fashion-mnist)
#   fonts-dejavu-core      the font the PNG charts use (SkiaSharp finds no text font without one)
# With --opencl (test.sh), also an OpenCL device to run the kernels on without a GPU:
#   pocl-opencl-icd        PoCL, OpenCL on the CPU (used with VAEGPU_OPENCL_ASSUME_GENERIC, see README)
#   ocl-icd-opencl-dev     libOpenCL.so, the name .NET looks for (the runtime package has only libOpenCL.so.1)
# Needs root (or sudo) only when something is missing. NuGet packages are restored by dotnet itself.
set -euo pipefail

packages=(libopenblas0-pthread dataset-fashion-mnist fonts-dejavu-core)
[ "${1:-}" = "--opencl" ] && packages+=(pocl-opencl-icd ocl-icd-opencl-dev)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    echo "setup: missing Debian packages ${missing[*]}; install them as root: apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q >/dev/null
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
