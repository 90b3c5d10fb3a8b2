#!/usr/bin/env bash
# Puts into DIR (new or empty) everything the GPU check needs on a machine that has the NVIDIA driver and CUDA but no
# .NET and no data set, at most 60 MiB in all:
#   scripts/gpu-bundle.sh DIR              then, on the GPU machine: DIR/gpu-check.sh DIR REPORT_DIR
#
#   DIR/vaegpu               the single-file program (~45 MiB), built now by scripts/publish.sh, or the file $VAEGPU
#   DIR/gpu-check.sh         the check itself
#   DIR/pytorch_vae_step.py  the PyTorch reference step (scripts/gpu/)
#   DIR/data/                a Fashion-MNIST subset, gzip-compressed IDX files with the names `--data DIR` reads:
#                            train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz: the FIRST 15,000 of the 60,000
#                              training images and their labels, in the original order (about 6.3 MiB; 1445 to 1548
#                              images of each of the 10 classes);
#                            t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz: the whole 10,000-image test set,
#                              copied as shipped (about 4.2 MiB), so the test -ELBO is over the usual 10,000 images
#   DIR/BUNDLE.txt           the commit, the subset and each file's size and SHA-256
#
# The data comes from $FASHION_MNIST (default /usr/share/datasets/fashion-mnist: Debian's dataset-fashion-mnist).
# $VAEGPU_BUNDLE_TRAIN_IMAGES changes the 15,000. Every failure is one line on stderr and a non-zero exit; a failed
# run leaves DIR as it found it.
set -euo pipefail

limit_mib=60
usage="usage: scripts/gpu-bundle.sh DIR (a new or empty folder)"
[ $# -eq 1 ] && [ -n "$1" ] || { echo "gpu-bundle: $usage" >&2; exit 2; }
dir=$1
root=$(cd "$(dirname "$0")/.." && pwd)
data=${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
train=${VAEGPU_BUNDLE_TRAIN_IMAGES:-15000}

fail() { echo "gpu-bundle: $*" >&2; exit 1; }
[[ "$train" =~ ^[1-9][0-9]{0,4}$ ]] && [ "$train" -le 60000 ] || fail "VAEGPU_BUNDLE_TRAIN_IMAGES=$train: give 1 to 60000"
if [ -e "$dir" ]; then
    [ -d "$dir" ] || fail "$dir exists and is not a folder: give a new or empty folder"
    [ -z "$(ls -A "$dir")" ] || fail "$dir is not empty: give a new or empty folder"
    created=no
else
    created=yes
fi
for need in gzip od sha256sum; do command -v "$need" >/dev/null || fail "$need is not installed"; done
for file in "$root/scripts/gpu-check.sh" "$root/scripts/gpu/pytorch_vae_step.py"; do [ -f "$file" ] || fail "$file is missing"; done
for name in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    [ -f "$data/$name.gz" ] || fail "$data/$name.gz is missing: install dataset-fashion-mnist or set FASHION_MNIST to a folder of the four IDX .gz files"
done
if [ -n "${VAEGPU:-}" ]; then
    [ -f "$VAEGPU" ] && [ -x "$VAEGPU" ] || fail "VAEGPU=$VAEGPU is not an executable file"
else
    command -v dotnet >/dev/null || fail "dotnet is not installed, so scripts/publish.sh cannot build vaegpu: install the .NET SDK or set VAEGPU to a published file"
fi

mkdir -p "$dir"
work=$(mktemp -d)
done_ok=no
cleanup() {
    rm -rf "$work"
    if [ "$done_ok" != yes ]; then
        if [ "$created" = yes ]; then rm -rf "$dir"; else find "$dir" -mindepth 1 -delete 2>/dev/null || true; fi
    fi
}
trap cleanup EXIT

# header FILE.gz BYTES: the first BYTES bytes of the decompressed file as hex, no spaces.
header() { { gzip -dc "$1" 2>/dev/null || true; } | head -c "$2" | od -An -v -tx1 | tr -d ' \n'; }
be32() { printf '%08x' "$1"; }
# subset SOURCE.gz TARGET.gz COUNT HEADER_BYTES MAGIC: the first COUNT items of an IDX file of labels (header 8 bytes)
# or images (16 bytes: rows and columns follow the count), with the count rewritten.
subset() {
    local source=$1 target=$2 count=$3 header_bytes=$4 magic=$5 head item_bytes=1
    head=$(header "$source" "$header_bytes")
    [ "${head:0:8}" = "$magic" ] || fail "$source is not an IDX file of magic $magic"
    have=$((16#${head:8:8}))
    [ "$have" -ge "$count" ] || fail "$source has $have items, fewer than the $count asked for"
    [ "$header_bytes" -eq 8 ] || item_bytes=$((16#${head:16:8} * 16#${head:24:8}))
    # head stops reading early, so the pipes before it end by SIGPIPE: no pipefail here; the length check below judges.
    (set +o pipefail
    {
        printf "$(printf '%s%s' "$magic" "$(be32 "$count")" | sed 's/../\\x&/g')"
        [ "$header_bytes" -eq 8 ] || printf "$(printf '%s' "${head:16}" | sed 's/../\\x&/g')"
        { gzip -dc "$source" 2>/dev/null || true; } | tail -c +$((header_bytes + 1)) 2>/dev/null | head -c $((count * item_bytes))
    } | gzip -n -9 > "$target") || true
    local bytes
    bytes=$(gzip -dc "$target" 2>/dev/null | wc -c) || true
    [ "$bytes" -eq $((header_bytes + count * item_bytes)) ] || fail "$source: the subset came out as $bytes bytes, not $((header_bytes + count * item_bytes)) (a damaged source?)"
}

mkdir -p "$dir/data"
subset "$data/train-images-idx3-ubyte.gz" "$dir/data/train-images-idx3-ubyte.gz" "$train" 16 00000803
subset "$data/train-labels-idx1-ubyte.gz" "$dir/data/train-labels-idx1-ubyte.gz" "$train" 8 00000801
test_head=$(header "$data/t10k-images-idx3-ubyte.gz" 16) test_labels=$(header "$data/t10k-labels-idx1-ubyte.gz" 8)
[ "${test_head:0:8}" = 00000803 ] || fail "$data/t10k-images-idx3-ubyte.gz is not an IDX image file"
[ "${test_labels:0:8}" = 00000801 ] || fail "$data/t10k-labels-idx1-ubyte.gz is not an IDX label file"
[ "${test_head:8:8}" = "${test_labels:8:8}" ] || fail "$data: the test images and test labels differ in number"
cp "$data/t10k-images-idx3-ubyte.gz" "$data/t10k-labels-idx1-ubyte.gz" "$dir/data/"

if [ -n "${VAEGPU:-}" ]; then
    program=$VAEGPU
else
    echo "gpu-bundle: building vaegpu with scripts/publish.sh (a few minutes)..." >&2
    if ! program=$("$root/scripts/publish.sh" "$work/dist" 2> "$work/publish.log"); then
        fail "scripts/publish.sh failed; its last line: $(grep -v '^\s*$' "$work/publish.log" | tail -n 1)"
    fi
fi
cp "$program" "$dir/vaegpu"
chmod 755 "$dir/vaegpu"
cp "$root/scripts/gpu-check.sh" "$dir/gpu-check.sh"
cp "$root/scripts/gpu/pytorch_vae_step.py" "$dir/pytorch_vae_step.py"
chmod 755 "$dir/gpu-check.sh" "$dir/pytorch_vae_step.py"

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git -C "$root" status --porcelain 2>/dev/null)" ] || commit="$commit with uncommitted changes"
{
    echo "VaeGpu GPU-check bundle, made $(date -u '+%Y-%m-%d %H:%M UTC') from commit $commit"
    echo "run: ./gpu-check.sh . REPORT_DIR   (or BUNDLE/gpu-check.sh BUNDLE REPORT_DIR)"
    echo "data: Fashion-MNIST from $data: the first $train of the $have training images and labels (original order), and the whole $((16#${test_head:8:8}))-image test set"
    echo
    (cd "$dir" && find . -type f ! -name BUNDLE.txt | sort | while read -r file; do
        printf '%10d  %s  %s\n' "$(stat -c %s "$file")" "$(sha256sum "$file" | cut -d' ' -f1)" "${file#./}"
    done)
} > "$dir/BUNDLE.txt"

total=$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
[ "$total" -le $((limit_mib << 20)) ] ||
    fail "the bundle would be $(awk -v b="$total" 'BEGIN { printf "%.1f", b / 1048576 }') MiB, over the $limit_mib MiB limit (vaegpu alone is $(awk -v b="$(stat -c %s "$dir/vaegpu")" 'BEGIN { printf "%.1f", b / 1048576 }') MiB): bundle fewer training images (VAEGPU_BUNDLE_TRAIN_IMAGES)"
done_ok=yes
echo "gpu-bundle: wrote $dir ($(awk -v b="$total" 'BEGIN { printf "%.1f", b / 1048576 }') MiB in $(find "$dir" -type f | wc -l) files); on the GPU machine run: $dir/gpu-check.sh $dir REPORT_DIR" >&2
