#!/usr/bin/env bash
# fetch-ptxas.sh - make NVIDIA's `ptxas` PTX assembler available locally.
#
# Usage: scripts/fetch-ptxas.sh [CACHE_DIR]
#
# Downloads Debian bookworm's non-free `nvidia-cuda-toolkit` .deb (CUDA 11.8,
# ~84 MB download; it is the package that contains /usr/bin/ptxas) with a
# private, temporary apt configuration (nothing is installed, the system's apt
# sources, lists and caches are not touched), extracts only `ptxas` into
# CACHE_DIR (default: <repo>/.cache/ptxas) and prints the absolute path of the
# executable as the only line on stdout. All progress goes to stderr.
# If the cache is already populated, no network is used and the path is
# printed immediately.
#
# ptxas is a stand-alone executable (it only needs glibc), so no other
# package is required.
#
# Environment overrides (optional):
#   FETCH_PTXAS_MIRROR   Debian mirror   (default http://deb.debian.org/debian)
#   FETCH_PTXAS_SUITE    Debian suite    (default bookworm)
#   FETCH_PTXAS_PACKAGE  package name    (default nvidia-cuda-toolkit)
#   FETCH_PTXAS_VERBOSE  if set to 1, apt output is shown on stderr
set -euo pipefail

prog=fetch-ptxas
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$script_dir")

[ $# -le 1 ] || die "usage: $0 [CACHE_DIR]"
cache=$(realpath -m -- "${1:-$repo/.cache/ptxas}")
ptxas="$cache/bin/ptxas"

# ---- fast path: cache already present (it is only ever created complete) ----
if [ -x "$ptxas" ]; then
    printf '%s\n' "$ptxas"
    exit 0
fi

mirror=${FETCH_PTXAS_MIRROR:-http://deb.debian.org/debian}
suite=${FETCH_PTXAS_SUITE:-bookworm}
pkg=${FETCH_PTXAS_PACKAGE:-nvidia-cuda-toolkit}
verbose=${FETCH_PTXAS_VERBOSE:-0}

command -v apt-get >/dev/null 2>&1 || die "apt-get not found (a Debian-based system is required)"
command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb not found (a Debian-based system is required)"

if [ -e "$cache" ] && [ -n "$(ls -A -- "$cache" 2>/dev/null || echo x)" ]; then
    die "cache dir $cache exists but contains no bin/ptxas; remove it and retry"
fi

# Work dir next to the cache so the final `mv` is an atomic rename.
parent=$(dirname "$cache")
mkdir -p -- "$parent" || die "cannot create $parent"
work=$(mktemp -d "$parent/.ptxas-tmp.XXXXXX") || die "cannot create temp dir in $parent"
trap 'rm -rf -- "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
chmod 755 "$work"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/deb" "$work/x" "$work/stage/bin"

# Private apt configuration: only the non-free Packages index of one suite
# (apt-get download does not resolve dependencies, so main/contrib and the
# DEP-11/Translation indexes are not needed: ~250 kB instead of ~14 MB).
signed_by=""
if [ -r /usr/share/keyrings/debian-archive-keyring.gpg ]; then
    signed_by=" signed-by=/usr/share/keyrings/debian-archive-keyring.gpg"
fi
printf 'deb [target=Packages%s] %s %s non-free\n' "$signed_by" "$mirror" "$suite" \
    > "$work/sources.list"
: > "$work/status"
apt_opts=(
    -o "Dir::Etc::SourceList=$work/sources.list"
    -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$work/lists"
    -o "Dir::State::status=$work/status"
    -o "Dir::Cache=$work/cache"
    -o "Acquire::Languages=none"
    -o "APT::Update::Error-Mode=any"
    -o "APT::Sandbox::User=root"
    -q
)
aptlog="$work/apt.log"

# Run apt quietly (output in $aptlog); on failure report the last error line.
run_apt() {
    local what=$1; shift
    local rc=0
    if [ "$verbose" = 1 ]; then
        "$@" 2>&1 | tee -a "$aptlog" >&2 || rc=$?
    else
        "$@" >>"$aptlog" 2>&1 || rc=$?
    fi
    if [ "$rc" -ne 0 ]; then
        local detail
        detail=$(grep -m1 '^E:' "$aptlog" || grep -E '^(W|Err):' "$aptlog" | tail -n 1 || true)
        detail=$(printf '%s' "$detail" | tr -s ' \t' ' ')
        die "$what failed (apt exit $rc)${detail:+: $detail}"
    fi
}

log "fetching package index for $suite from $mirror"
run_apt "apt-get update ($mirror $suite)" apt-get "${apt_opts[@]}" update

log "downloading $pkg .deb"
(cd "$work/deb" && run_apt "apt-get download $pkg" apt-get "${apt_opts[@]}" download "$pkg")
deb=$(find "$work/deb" -maxdepth 1 -name '*.deb' -print -quit)
[ -n "$deb" ] || die "apt-get download $pkg produced no .deb file"
log "downloaded $(basename "$deb") ($(du -h "$deb" | cut -f1))"

log "extracting ptxas"
dpkg-deb -x "$deb" "$work/x" || die "dpkg-deb -x $(basename "$deb") failed"
[ -f "$work/x/usr/bin/ptxas" ] || die "package $pkg does not contain usr/bin/ptxas"
cp -p "$work/x/usr/bin/ptxas" "$work/stage/bin/ptxas"
chmod 755 "$work/stage/bin/ptxas"
if [ -f "$work/x/usr/share/doc/$pkg/copyright" ]; then
    cp "$work/x/usr/share/doc/$pkg/copyright" "$work/stage/copyright"
fi
dpkg-deb -f "$deb" Package Version Architecture > "$work/stage/PACKAGE"

# Sanity check before committing the cache: ptxas must run and assemble PTX.
cat > "$work/t.ptx" <<'EOF'
.version 7.8
.target sm_75
.address_size 64
.visible .entry k()
{
    ret;
}
EOF
"$work/stage/bin/ptxas" --version > "$work/stage/VERSION" 2>&1 \
    || die "extracted ptxas does not run: $(tail -n 1 "$work/stage/VERSION")"
"$work/stage/bin/ptxas" -arch=sm_75 "$work/t.ptx" -o /dev/null 2> "$work/ptxas.err" \
    || die "extracted ptxas failed to assemble a test kernel: $(head -n 1 "$work/ptxas.err")"
log "$(grep -m1 -i 'release' "$work/stage/VERSION" || head -n 1 "$work/stage/VERSION")"

# Atomic publish. An empty pre-existing dir is replaced; if another run won
# the race, use its result.
[ -d "$cache" ] && rmdir -- "$cache" 2>/dev/null || true
if ! mv -T -- "$work/stage" "$cache" 2>/dev/null; then
    [ -x "$ptxas" ] || die "could not move ptxas into $cache"
fi

log "cached in $cache"
printf '%s\n' "$ptxas"
