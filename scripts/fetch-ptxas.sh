#!/usr/bin/env bash
# fetch-ptxas.sh - make NVIDIA's `ptxas`, `nvdisasm` and `cuobjdump` available locally.
#
# Usage: scripts/fetch-ptxas.sh [CACHE_DIR]
#        scripts/fetch-ptxas.sh --print-mirror
#
# Downloads Debian bookworm's non-free `nvidia-cuda-toolkit` .deb (CUDA 11.8,
# ~84 MB download; it contains /usr/bin/ptxas, /usr/bin/nvdisasm and
# /usr/bin/cuobjdump) with a private, temporary apt configuration (nothing is
# installed, the system's apt sources, lists and caches are not touched),
# extracts only those three tools into CACHE_DIR/bin (default:
# <repo>/.cache/ptxas) and prints the absolute path of ptxas as the only line
# on stdout; the other tools lie beside it. All progress goes to stderr.
# If the cache already holds every tool, no network is used and the path is
# printed immediately. A cache from an older version of this script (ptxas
# only) is refilled.
#
# The tools are stand-alone executables (they only need glibc), so no other
# package is required.
#
# The Debian mirror is the one the system's apt sources already name: the
# first http(s) URI of a `deb` entry in /etc/apt/sources.list and then
# /etc/apt/sources.list.d/*.list (one-line format) and *.sources (deb822
# format, `URIs:`), in apt's order, whose suites include bookworm; failing
# that, the first such entry whose components include main.
# `--print-mirror` prints that mirror and exits.
#
# Environment overrides (optional):
#   FETCH_PTXAS_MIRROR        Debian mirror URL (default: from the apt sources, see above)
#   FETCH_PTXAS_SUITE         Debian suite    (default bookworm)
#   FETCH_PTXAS_PACKAGE       package name    (default nvidia-cuda-toolkit)
#   FETCH_PTXAS_VERBOSE       if set to 1, apt output is shown on stderr
#   FETCH_PTXAS_SOURCES_LIST  the one-line sources file read for the mirror (default /etc/apt/sources.list)
#   FETCH_PTXAS_SOURCES_PARTS the folder of *.list and *.sources files (default /etc/apt/sources.list.d)
set -euo pipefail

prog=fetch-ptxas
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$script_dir")

# The executables taken from the package, all into CACHE_DIR/bin.
tools=(ptxas nvdisasm cuobjdump)

suite=${FETCH_PTXAS_SUITE:-bookworm}
pkg=${FETCH_PTXAS_PACKAGE:-nvidia-cuda-toolkit}
verbose=${FETCH_PTXAS_VERBOSE:-0}
sources_list=${FETCH_PTXAS_SOURCES_LIST:-/etc/apt/sources.list}
sources_parts=${FETCH_PTXAS_SOURCES_PARTS:-/etc/apt/sources.list.d}

# Prints "RANK URI" for every enabled `deb` entry with an http(s) URI, in file
# order: RANK 1 if its suites include $suite, 2 if only its components include
# main, nothing otherwise. One-line format: `deb [options] URI SUITE COMPONENT...`.
entries_one_line() {
    awk -v suite="$suite" '
        { sub(/#.*/, ""); gsub(/\[[^]]*\]/, " ") }
        $1 == "deb" && $2 ~ /^https?:\/\// {
            rank = 0
            if ($3 == suite) rank = 1
            else for (i = 4; i <= NF; i++) if ($i == "main") rank = 2
            if (rank) print rank, $2
        }' "$1"
}

# The same for deb822 stanzas (`Types:`, `URIs:`, `Suites:`, `Components:`, `Enabled:`),
# separated by blank lines; continuation lines start with white space.
entries_deb822() {
    awk -v suite="$suite" '
        function flush(   n, uris, words, i, rank, uri) {
            if (!("types" in f) || !("uris" in f)) { delete f; return }
            if (tolower(f["enabled"]) ~ /^[[:space:]]*no[[:space:]]*$/) { delete f; return }
            if ((" " f["types"] " ") !~ /[[:space:]]deb[[:space:]]/) { delete f; return }
            rank = 0
            n = split(f["suites"], words, /[[:space:]]+/)
            for (i = 1; i <= n; i++) if (words[i] == suite) rank = 1
            if (!rank) {
                n = split(f["components"], words, /[[:space:]]+/)
                for (i = 1; i <= n; i++) if (words[i] == "main") rank = 2
            }
            uri = ""
            n = split(f["uris"], uris, /[[:space:]]+/)
            for (i = 1; i <= n && uri == ""; i++) if (uris[i] ~ /^https?:\/\//) uri = uris[i]
            if (rank && uri != "") print rank, uri
            delete f
        }
        /^[[:space:]]*#/ { next }
        /^[[:space:]]*$/ { flush(); key = ""; next }
        /^[[:space:]]/ { if (key != "") f[key] = f[key] " " $0; next }
        {
            i = index($0, ":")
            if (i == 0) { key = ""; next }
            key = tolower(substr($0, 1, i - 1))
            f[key] = substr($0, i + 1)
        }
        END { flush() }' "$1"
}

# The mirror the system's apt sources name (see the header), or nothing.
apt_mirror() {
    local files=() file
    [ -r "$sources_list" ] && files+=("$sources_list")
    if [ -d "$sources_parts" ]; then
        # apt reads the parts folder in lexical order, whatever the extension.
        while IFS= read -r file; do files+=("$file"); done < <(
            find "$sources_parts" -maxdepth 1 \( -name '*.list' -o -name '*.sources' \) -type f -readable 2>/dev/null | LC_ALL=C sort)
    fi
    [ ${#files[@]} -gt 0 ] || return 0
    for file in "${files[@]}"; do
        case $file in
            *.sources) entries_deb822 "$file" ;;
            *) entries_one_line "$file" ;;
        esac
    done | sort -s -n -k1,1 | awk 'NR == 1 { sub(/\/+$/, "", $2); print $2 }'
}

find_mirror() {
    if [ -n "${FETCH_PTXAS_MIRROR:-}" ]; then
        printf '%s\n' "$FETCH_PTXAS_MIRROR"
        return
    fi
    local mirror
    mirror=$(apt_mirror)
    [ -n "$mirror" ] || die "no Debian mirror in the apt sources ($sources_list, $sources_parts/*.list, *.sources: no http(s) deb entry for suite $suite or component main); set FETCH_PTXAS_MIRROR to a Debian archive URL"
    printf '%s\n' "$mirror"
}

if [ "${1:-}" = "--print-mirror" ]; then
    [ $# -eq 1 ] || die "usage: $0 --print-mirror"
    find_mirror
    exit 0
fi

[ $# -le 1 ] || die "usage: $0 [CACHE_DIR]"
cache=$(realpath -m -- "${1:-$repo/.cache/ptxas}")
ptxas="$cache/bin/ptxas"

# True when the cache (or another folder laid out like it) holds every tool.
complete() {
    local tool
    for tool in "${tools[@]}"; do
        [ -f "$1/bin/$tool" ] && [ -x "$1/bin/$tool" ] || return 1
    done
}

# ---- fast path: cache already complete (it is only ever published complete) ----
if complete "$cache"; then
    printf '%s\n' "$ptxas"
    exit 0
fi

command -v apt-get >/dev/null 2>&1 || die "apt-get not found (a Debian-based system is required)"
command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb not found (a Debian-based system is required)"

# An incomplete cache written by this script (older versions fetched ptxas only) is refilled;
# anything else in the way is left alone.
stale=0
if [ -e "$cache" ] && [ -n "$(ls -A -- "$cache" 2>/dev/null || echo x)" ]; then
    if [ -d "$cache" ] && { [ -f "$cache/PACKAGE" ] || [ -e "$cache/bin/ptxas" ]; }; then
        stale=1
        log "cache $cache lacks some of: ${tools[*]}; refilling it"
    else
        die "cache dir $cache exists but is not a tool cache (no bin/ptxas); remove it and retry"
    fi
fi

mirror=$(find_mirror)

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

log "extracting ${tools[*]}"
dpkg-deb -c "$deb" > "$work/contents" || die "dpkg-deb -c $(basename "$deb") failed"
members=()
for tool in "${tools[@]}"; do
    grep -q " \./usr/bin/$tool\$" "$work/contents" || die "package $pkg does not contain usr/bin/$tool"
    members+=("./usr/bin/$tool")
done
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/x" "${members[@]}" \
    || die "extracting ${tools[*]} from $(basename "$deb") failed"
for tool in "${tools[@]}"; do
    [ -f "$work/x/usr/bin/$tool" ] || die "package $pkg does not contain usr/bin/$tool"
    cp -p "$work/x/usr/bin/$tool" "$work/stage/bin/$tool"
    chmod 755 "$work/stage/bin/$tool"
done
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/x" "./usr/share/doc/$pkg/copyright" 2>/dev/null || true
if [ -f "$work/x/usr/share/doc/$pkg/copyright" ]; then
    cp "$work/x/usr/share/doc/$pkg/copyright" "$work/stage/copyright"
fi
dpkg-deb -f "$deb" Package Version Architecture > "$work/stage/PACKAGE"

# Sanity check before publishing the cache: ptxas must assemble PTX to a cubin,
# and nvdisasm and cuobjdump must disassemble it.
cat > "$work/t.ptx" <<'EOF'
.version 7.8
.target sm_75
.address_size 64
.visible .entry k()
{
    ret;
}
EOF
bin="$work/stage/bin"
"$bin/ptxas" --version > "$work/stage/VERSION" 2>&1 \
    || die "extracted ptxas does not run: $(tail -n 1 "$work/stage/VERSION")"
"$bin/ptxas" -arch=sm_75 "$work/t.ptx" -o "$work/t.cubin" 2> "$work/ptxas.err" \
    || die "extracted ptxas failed to assemble a test kernel: $(head -n 1 "$work/ptxas.err")"
"$bin/nvdisasm" -c "$work/t.cubin" > "$work/t.sass" 2>&1 && grep -q 'EXIT' "$work/t.sass" \
    || die "extracted nvdisasm failed to disassemble a test kernel: $(head -n 1 "$work/t.sass")"
"$bin/cuobjdump" -sass "$work/t.cubin" > "$work/t.sass" 2>&1 && grep -q 'EXIT' "$work/t.sass" \
    || die "extracted cuobjdump failed to disassemble a test kernel: $(head -n 1 "$work/t.sass")"
log "$(grep -m1 -i 'release' "$work/stage/VERSION" || head -n 1 "$work/stage/VERSION")"

# Atomic publish. An empty pre-existing dir is replaced, a stale cache is moved
# aside first; if another run won the race, use its result.
if [ "$stale" = 1 ]; then
    mv -T -- "$cache" "$work/old" 2>/dev/null || true
fi
[ -d "$cache" ] && rmdir -- "$cache" 2>/dev/null || true
if ! mv -T -- "$work/stage" "$cache" 2>/dev/null; then
    complete "$cache" || die "could not move ${tools[*]} into $cache"
fi

log "cached in $cache"
printf '%s\n' "$ptxas"
