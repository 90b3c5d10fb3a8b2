#!/usr/bin/env bash
# The one prepared check for a GPU machine that has the NVIDIA driver and CUDA but no .NET and no data set. It reads a
# bundle made by scripts/gpu-bundle.sh (vaegpu, this script, pytorch_vae_step.py, data/) and writes a report:
#   gpu-check.sh BUNDLE_DIR REPORT_DIR        (REPORT_DIR new or empty)
#
# Steps, in this order, each under `timeout` (limit in seconds); the whole check ends within 5 minutes, because each
# step's limit is also cut to what is left of a 285 s budget ($GPU_CHECK_BUDGET_S) and a step that finds it spent is
# skipped:
#   gpu      10  nvidia-smi --query-gpu (name, driver, memory, clocks, power, compute capability), then nvidia-smi
#   devices  20  vaegpu devices
#   cublas   15  which libcublas.so.13/.12/.11 is there (ldconfig -p, LD_LIBRARY_PATH, /usr/local/cuda*, Python
#                environments' nvidia/*/lib), independently of vaegpu's own search (its devices line), and whether it
#                exports the symbols ILGPU's CuBlas binds (nm -D)
#   check    70  vaegpu check --device cuda --json
#   bench    60  vaegpu bench --device cuda --json --data BUNDLE/data
#   epoch    40  vaegpu train --device cuda --epochs 1 --data BUNDLE/data --out REPORT/epoch
#   pytorch  40  pytorch_vae_step.py: the same model's training step in PyTorch, eager and as a CUDA graph (on the
#                CPU, eager only, where nvidia-smi found no GPU)
#   ncu      30  ncu --launch-count 20 on `vaegpu bench --repeats 1 --no-epoch` (ncu from PATH, /usr/local/cuda*/bin or
#                /opt/nvidia/nsight-compute; skipped where there is none)
# Each step keeps REPORT/NAME.out, NAME.err and NAME.exit (the exit code, or "skipped"). REPORT/report.txt is the
# readable report, with the table of VaeGpu's step device time against PyTorch's eager and CUDA-graph steps measured in
# this run; REPORT/report.json the same as one JSON object (assembled and validated by python3's json module where
# there is a python3, else by plain bash). Exit code: 0 only when every step succeeded (a skipped ncu for want of ncu
# counts as success; the cublas step succeeds when its search ran, found or not); 1 otherwise; 2 for a bad call.
set -uo pipefail

usage="usage: gpu-check.sh BUNDLE_DIR REPORT_DIR (BUNDLE_DIR from scripts/gpu-bundle.sh; REPORT_DIR new or empty)"
bad() { echo "gpu-check: $*" >&2; exit 2; }
[ $# -eq 2 ] || bad "$usage"
command -v timeout >/dev/null || bad "timeout (coreutils) is not installed"
[ -d "$1" ] || bad "$1 is not a folder: give the folder scripts/gpu-bundle.sh made"
bundle=$(cd "$1" && pwd)
vaegpu=$bundle/vaegpu reference=$bundle/pytorch_vae_step.py data=$bundle/data
[ -f "$vaegpu" ] && [ -x "$vaegpu" ] || bad "$vaegpu is missing or not executable: make the bundle with scripts/gpu-bundle.sh"
[ -f "$reference" ] || bad "$reference is missing: make the bundle with scripts/gpu-bundle.sh"
for name in train-images-idx3-ubyte t10k-images-idx3-ubyte; do
    [ -f "$data/$name.gz" ] || [ -f "$data/$name" ] || bad "$data/$name.gz is missing: make the bundle with scripts/gpu-bundle.sh"
done
report=$2
[ ! -e "$report" ] || [ -d "$report" ] || bad "$report exists and is not a folder"
[ ! -d "$report" ] || [ -z "$(ls -A "$report" 2>/dev/null)" ] || bad "$report is not empty: give a new folder"
mkdir -p "$report" 2>/dev/null && [ -w "$report" ] || bad "cannot write to $report: give a writable folder"
report=$(cd "$report" && pwd)

budget=${GPU_CHECK_BUDGET_S:-285}
[[ "$budget" =~ ^[0-9]+$ ]] && [ "$budget" -le 285 ] || bad "GPU_CHECK_BUDGET_S=$budget: give whole seconds, at most 285"
started=$SECONDS
started_utc=$(date -u '+%Y-%m-%dT%H:%M:%SZ')
status=0
printf 'step\texit\tseconds\tlimit\tstatus\tnote\tcommand\n' > "$report/steps.tsv"

# record NAME EXIT SECONDS LIMIT STATUS NOTE COMMAND: one line of steps.tsv (tabs and newlines in the note become spaces).
record() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$(printf '%s' "$6" | tr '\t\n\r' '   ' | cut -c1-200)" \
        "$(printf '%s' "$7" | tr '\t\n\r' '   ')" >> "$report/steps.tsv"
}
# skip NAME LIMIT REASON COMMAND [fails]: a step not run; it counts as a failure when the fifth argument is "fails".
skip() {
    echo skipped > "$report/$1.exit"; : > "$report/$1.out"; echo "$3" > "$report/$1.err"
    record "$1" - 0 "$2" skipped "$3" "$4"
    [ "${5:-}" != fails ] || status=1
}
# step NAME LIMIT COMMAND...: runs COMMAND under timeout (LIMIT, or what is left of the budget), stdin from /dev/null;
# steps.tsv shows the command as $shown where that is set (then cleared), else as the command itself.
shown=""
step() {
    local name=$1 limit=$2 display; shift 2
    display=${shown:-$*} shown=""
    local left=$((budget - (SECONDS - started) - 3))
    [ "$left" -ge "$limit" ] || limit=$left
    if [ "$limit" -lt 2 ]; then skip "$name" "$limit" "not run: the ${budget} s budget was spent" "$display" fails; return; fi
    local t0 t1 code note state
    t0=$(date +%s.%N)
    timeout -k 3 "$limit" "$@" > "$report/$name.out" 2> "$report/$name.err" < /dev/null
    code=$?
    t1=$(date +%s.%N)
    echo "$code" > "$report/$name.exit"
    if [ "$code" -eq 0 ]; then state=ok note=""
    elif [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then state="timed out" note="killed at its $limit s limit"; status=1
    else
        state=failed status=1
        note=$(grep -v '^[[:space:]]*$' "$report/$name.err" | grep -i 'error' | tail -n 1)
        [ -n "$note" ] || note=$(grep -v '^[[:space:]]*$' "$report/$name.err" | tail -n 1)
        if [ -z "$note" ] && [ "$(head -c 1 "$report/$name.out")" = "{" ]; then
            note="exit $code; JSON in $name.out$(grep -oE '"cases": ?[0-9]+, ?"failed": ?[0-9]+' "$report/$name.out" | head -n 1 | tr -d '"' | sed 's/^/: /')"
        fi
        [ -n "$note" ] || note=$(grep -v '^[[:space:]]*$' "$report/$name.out" | tail -n 1)
        [ -n "$note" ] || note="exit $code with no output"
    fi
    record "$name" "$code" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" "$limit" "$state" "$note" "$display"
}

# The cuBLAS search, run as a step through bash -c. Lines: "library PATH ORIGIN", "chosen PATH", "symbol NAME yes|no",
# "ilgpu_loadable yes|no NAME" (ILGPU 1.5.3's CuBlas asks the loader for libcublas.so.12/.11/.10 by name only).
probe_cublas() {
    local -a found=()
    local line path dir py sp symbol
    add() { local p; for p in "$@"; do [ -e "$p" ] || continue; p=$(readlink -f "$p"); case " ${found[*]-} " in *" $p "*) ;; *) found+=("$p"); echo "library $p $origin";; esac; done; }
    origin=ldconfig
    for line in $( { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -oE '/[^ ]*libcublas\.so\.1[123]$'); do add "$line"; done
    origin=LD_LIBRARY_PATH
    IFS=: read -r -a dirs <<< "${LD_LIBRARY_PATH:-}"
    for dir in "${dirs[@]}"; do [ -n "$dir" ] && add "$dir"/libcublas.so.1[123]; done
    origin=cuda-toolkit
    for dir in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda-*/lib64 /usr/local/cuda-*/targets/x86_64-linux/lib; do
        add "$dir"/libcublas.so.1[123]
    done
    origin=python
    for py in ${PYTHON:-} python3 /usr/bin/python3 python; do
        command -v "$py" >/dev/null 2>&1 || continue
        for dir in $(timeout 3 "$py" -c 'import nvidia.cublas, os; print(*[os.path.join(p, "lib") for p in nvidia.cublas.__path__])' 2>/dev/null); do add "$dir"/libcublas.so.1[123]; done
        for sp in $(timeout 3 "$py" -c 'import site, sys; print(*site.getsitepackages(), site.getusersitepackages(), *sys.path)' 2>/dev/null); do
            [ -d "$sp/nvidia" ] && for path in $(find "$sp/nvidia" -maxdepth 3 -name 'libcublas.so.1[123]' 2>/dev/null); do add "$path"; done
            [ -d "$sp/torch/lib" ] && add "$sp"/torch/lib/libcublas.so.1[123]
        done
    done
    [ ${#found[@]} -gt 0 ] || { echo "chosen none"; echo "ilgpu_loadable no none"; return 0; }
    local chosen="" v
    for v in 13 12 11; do for path in "${found[@]}"; do
        [ -z "$chosen" ] && [[ "$(basename "$path")" == libcublas.so.$v* ]] && chosen=$path
    done; done
    [ -n "$chosen" ] || chosen=${found[0]}
    echo "chosen $chosen"
    if command -v nm >/dev/null; then
        local symbols; symbols=$(nm -D --defined-only "$chosen" 2>/dev/null | awk '{ print $NF }')
        for symbol in cublasCreate_v2 cublasDestroy_v2 cublasSgemm_v2 cublasSetStream_v2 cublasSetPointerMode_v2 cublasSetMathMode cublasGetVersion_v2; do
            if grep -qx "$symbol" <<< "$symbols"; then echo "symbol $symbol yes"; else echo "symbol $symbol no"; fi
        done
    else
        echo "symbols unknown: nm is not installed"
    fi
    local loadable=no name
    for name in libcublas.so.12 libcublas.so.11 libcublas.so.10; do
        if { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q " $name "; then loadable="yes $name"; break; fi
        for dir in "${dirs[@]}"; do [ -n "$dir" ] && [ -e "$dir/$name" ] && { loadable="yes $name"; break 2; }; done
    done
    [ "$loadable" != no ] || loadable="no none"
    echo "ilgpu_loadable $loadable"
}

# The Python that has torch: $PYTHON, python3, /usr/bin/python3, python (found without importing it).
torch_python=""
for py in ${PYTHON:-} python3 /usr/bin/python3 python; do
    command -v "$py" >/dev/null 2>&1 || continue
    if timeout 5 "$py" -c 'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("torch") else 1)' 2>/dev/null; then torch_python=$(command -v "$py"); break; fi
done

gpu_fields=name,driver_version,compute_cap,memory.total,memory.used,clocks.sm,clocks.max.sm,clocks.mem,clocks.max.mem,power.draw,power.limit,temperature.gpu,pstate,pci.bus_id
# Where a driver rejects one of these fields, the query falls back to a few basic ones.
if command -v nvidia-smi >/dev/null; then
    step gpu 10 bash -c "{ nvidia-smi --query-gpu=$gpu_fields --format=csv,nounits ||
        nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv,nounits; } && echo && nvidia-smi"
else
    skip gpu 10 "nvidia-smi is not installed: no NVIDIA driver here" "nvidia-smi --query-gpu=..." fails
fi
step devices 20 "$vaegpu" devices
shown="probe_cublas (ldconfig -p, LD_LIBRARY_PATH, /usr/local/cuda*, Python nvidia/*/lib; nm -D)"
step cublas 15 bash -c "$(declare -f probe_cublas); probe_cublas"
step check 70 "$vaegpu" check --device cuda --json
step bench 60 "$vaegpu" bench --device cuda --json --data "$data"
step epoch 40 "$vaegpu" train --device cuda --epochs 1 --data "$data" --out "$report/epoch"
if [ -z "$torch_python" ]; then
    skip pytorch 40 "no Python with torch found (tried \$PYTHON, python3, /usr/bin/python3, python)" "pytorch_vae_step.py" fails
elif [ "$(cat "$report/gpu.exit")" = 0 ]; then
    step pytorch 40 "$torch_python" "$reference" --device cuda --repeats 1000 --warmup 100 --data "$data"
else
    step pytorch 40 "$torch_python" "$reference" --device cpu --repeats 100 --warmup 10 --data "$data"
fi
ncu=$(command -v ncu || ls -d /usr/local/cuda/bin/ncu /usr/local/cuda-*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -n 1)
if [ -n "$ncu" ]; then
    step ncu 30 "$ncu" --launch-count 20 --target-processes all "$vaegpu" bench --device cuda --json --repeats 1 --no-epoch
else
    skip ncu 30 "ncu is not installed (not on PATH, in /usr/local/cuda*/bin or /opt/nvidia/nsight-compute)" "ncu --launch-count 20 vaegpu bench --device cuda --json --repeats 1 --no-epoch"
fi

total_seconds=$((SECONDS - started))
[ -f "$bundle/BUNDLE.txt" ] && cp "$bundle/BUNDLE.txt" "$report/BUNDLE.txt"

# The report, by python3's json module: report.json and report.txt.
assemble_python() {
    timeout 10 "$1" - "$report" "$bundle" "$started_utc" "$total_seconds" "$budget" "$status" "$torch_python" "$(hostname 2>/dev/null || echo unknown)" "$gpu_fields" <<'PY'
import csv, json, os, sys
report, bundle, started_utc, total_seconds, budget, status, torch_python, host, gpu_fields = sys.argv[1:]

def text(name, suffix):
    try:
        with open(os.path.join(report, name + suffix), errors='replace') as f: return f.read()
    except OSError: return ''

def parsed(name):
    """The step's stdout as JSON where it printed one object (a failed check does too); else None."""
    out = text(name, '.out').strip()
    if not out.startswith('{'): return None
    try: return json.loads(out)
    except ValueError: return None

with open(os.path.join(report, 'steps.tsv')) as f:
    rows = list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))
steps = {r['step']: {'command': r['command'], 'exit': int(r['exit']) if (r['exit'] or '').isdigit() else None,
                     'status': r['status'], 'seconds': float(r['seconds']), 'limit_s': int(r['limit']), 'note': r['note'] or None}
         for r in rows}

gpu = None
lines = text('gpu', '.out').splitlines()
if steps['gpu']['status'] == 'ok' and len(lines) >= 2:
    keys = gpu_fields.split(',')  # the header's names differ (clocks.sm is "clocks.current.sm [MHz]"): the query's order
    if lines[0].count(',') != len(keys) - 1:  # the fallback query: the header's names
        keys = [k.strip().split(' [')[0] for k in lines[0].split(',')]
    gpu = []
    for line in lines[1:]:
        if line.count(',') != len(keys) - 1: break
        gpu.append(dict(zip(keys, (v.strip() for v in line.split(',')))))
    gpu = gpu or None
cuda_version = next((l.split('CUDA Version:')[1].split('|')[0].strip() for l in lines if 'CUDA Version:' in l), None)

cublas = {'libraries': [], 'chosen': None, 'symbols': {}, 'ilgpu_loadable': None}
for line in text('cublas', '.out').splitlines():
    word, _, rest = line.partition(' ')
    if word == 'library': cublas['libraries'].append(dict(zip(('path', 'origin'), rest.rsplit(' ', 1))))
    elif word == 'chosen': cublas['chosen'] = None if rest == 'none' else rest
    elif word == 'symbol': cublas['symbols'][rest.split()[0]] = rest.split()[1] == 'yes'
    elif word == 'ilgpu_loadable': cublas['ilgpu_loadable'] = rest.split()[1] if rest.startswith('yes') else None

check, bench, torch = parsed('check'), parsed('bench'), parsed('pytorch')
metrics = os.path.join(report, 'epoch', 'metrics.csv')
epoch = {'stdout': text('epoch', '.out') or None,
         'metrics_csv': open(metrics).read() if os.path.exists(metrics) else None}
ncu_out = text('ncu', '.out')
ncu = {'ran': steps['ncu']['status'] != 'skipped', 'output_file': 'ncu.out' if ncu_out else None,
       'kernels': sorted({l.strip().split(' (')[0] for l in ncu_out.splitlines() if l.startswith('  ') and '(' in l and 'Context' in l and 'Stream' in l}) or None}

def get(d, *path):
    for key in path:
        if not isinstance(d, dict) or d.get(key) is None: return None
        d = d[key]
    return d

vaegpu_device, vaegpu_wall = get(bench, 'step', 'device_us'), get(bench, 'step', 'wall_us')
eager, graph = get(torch, 'eager_step_us'), get(torch, 'graph_step_us')
on_cuda = torch is not None and torch.get('cuda') is not None and not str(torch.get('device', '')).startswith('cpu')
def ratio(a, b): return round(a / b, 3) if a is not None and b and on_cuda else None
why = None
if vaegpu_device is None: why = 'no VaeGpu device time (bench: %s)' % (steps['bench']['note'] or steps['bench']['status'])
elif torch is None: why = 'no PyTorch figures (pytorch: %s)' % (steps['pytorch']['note'] or steps['pytorch']['status'])
elif not on_cuda: why = 'PyTorch ran on the CPU'
elif graph is None: why = 'no CUDA-graph step: %s' % torch.get('graph_reason')
comparison = {
    'vaegpu_step_device_us': vaegpu_device, 'vaegpu_step_wall_us': vaegpu_wall, 'vaegpu_step_launches': get(bench, 'step', 'launches'),
    'vaegpu_model_h100_step_us': get(bench, 'model_h100_step_us'),
    'pytorch_device': get(torch, 'device'), 'pytorch_eager_step_us': eager, 'pytorch_graph_step_us': graph,
    'pytorch_eager_wall_us': get(torch, 'eager_wall_us'), 'pytorch_graph_wall_us': get(torch, 'graph_wall_us'),
    'vaegpu_over_eager': ratio(vaegpu_device, eager), 'vaegpu_over_graph': ratio(vaegpu_device, graph),
    'note': why,
}
manifest = text('BUNDLE', '.txt').splitlines()
result = {
    'schema': 'vaegpu-gpu-check/2', 'started_utc': started_utc, 'host': host, 'bundle': bundle,
    'bundle_made': manifest[0] if manifest else None, 'seconds': int(total_seconds), 'budget_s': int(budget),
    'exit': int(status), 'steps': steps,
    'gpu': gpu, 'cuda_driver_version': cuda_version, 'devices': text('devices', '.out') or None,
    'cublas': cublas, 'check': check, 'bench': bench, 'epoch': epoch, 'pytorch': torch, 'pytorch_python': torch_python or None,
    'ncu': ncu, 'comparison': comparison,
}
with open(os.path.join(report, 'report.json'), 'w') as f:
    json.dump(result, f, indent=1)
with open(os.path.join(report, 'report.json')) as f:
    json.load(f)  # validated

def us(v): return '%.1f' % v if isinstance(v, (int, float)) else 'n/a'
def x(v): return '%.3f' % v if isinstance(v, (int, float)) else 'n/a'
ok = sum(s['status'] == 'ok' for s in steps.values())
t = ['# VaeGpu GPU check, %s on %s (%d s of the %s s budget)' % (started_utc, host, int(total_seconds), budget),
     'bundle: %s%s' % (bundle, ' (' + manifest[0] + ')' if manifest else ''),
     'result: exit %s; %d of %d steps ok' % (status, ok, len(steps)), '']
if gpu:
    class Known(dict):
        def __missing__(self, key): return '?'
    for g in gpu:
        t.append('GPU: {name}, driver {driver_version} (CUDA {cuda}), compute {compute_cap}, memory {memory_total} MiB ({memory_used} used), '
                 'SM clock {clocks_sm} of {clocks_max_sm} MHz, memory clock {clocks_mem} of {clocks_max_mem} MHz, power {power_draw} of {power_limit} W, '
                 '{temperature_gpu} C, {pstate}'.format_map(Known({k.replace('.', '_'): v for k, v in g.items()}, cuda=cuda_version or '?')))
else:
    t.append('GPU: none found (gpu: %s)' % (steps['gpu']['note'] or steps['gpu']['status']))
t += ['', '%-8s %6s %8s %6s  %s' % ('step', 'exit', 'seconds', 'limit', 'status'), '-' * 60]
for name, s in steps.items():
    t.append('%-8s %6s %8.1f %6d  %s%s' % (name, '-' if s['exit'] is None else s['exit'], s['seconds'], s['limit_s'], s['status'], ': ' + s['note'] if s['note'] else ''))
c = comparison
t += ['', '## VaeGpu against PyTorch, one training step of the same model (batch 128), measured in this run', '',
      '| measure | microseconds |', '|---|---|',
      '| VaeGpu step, device time (bench step.device_us; %s launches) | %s |' % (c['vaegpu_step_launches'] if c['vaegpu_step_launches'] is not None else 'n/a', us(vaegpu_device)),
      '| VaeGpu step, wall time (bench step.wall_us) | %s |' % us(vaegpu_wall)]
if 'model_h100_step_us' in (bench or {}):
    t.append('| VaeGpu model of an H100 step (bench model_h100_step_us) | %s |' % us(c['vaegpu_model_h100_step_us']))
t += ['| PyTorch eager step (%s) | %s |' % (c['pytorch_device'] or 'n/a', us(eager)),
      '| PyTorch CUDA-graph step | %s |' % us(graph),
      '| VaeGpu / PyTorch eager (device times; above 1: VaeGpu slower) | %s |' % x(c['vaegpu_over_eager']),
      '| VaeGpu / PyTorch graph | %s |' % x(c['vaegpu_over_graph'])]
if why: t.append('(%s)' % why)
t += ['', '## check --device cuda']
t.append('%s of %s cases passed on %s' % (check['cases'] - check['failed'], check['cases'], check['device']) if check else 'no result: ' + (steps['check']['note'] or steps['check']['status']))
for r in (check or {}).get('results', []):
    if not r.get('passed'): t.append('FAIL %s %s: max abs %s, max rel %s%s' % (r.get('family'), r.get('name'), r.get('max_absolute_error'), r.get('max_relative_error'), ' (%s)' % r['problem'] if r.get('problem') else ''))
t += ['', '## bench --device cuda']
if bench:
    s = bench.get('step', {})
    t.append('step: enqueue %s us, device %s us, wall %s us, %s launches, %s bytes read back' % (us(s.get('enqueue_us')), us(s.get('device_us')), us(s.get('wall_us')), s.get('launches'), s.get('bytes_read_back')))
    for o in bench.get('operations', []):
        t.append('  %-28s device %9s us  in step %9s us  %s launches' % (o.get('name'), us(o.get('device_us')), us(o.get('in_step_us')), o.get('launches')))
    e = bench.get('epoch', {})
    t.append('epoch: %s s, test -ELBO %s (%s)' % (e.get('seconds'), e.get('test_elbo'), e.get('note')))
else:
    t.append('no result: ' + (steps['bench']['note'] or steps['bench']['status']))
t += ['', '## one training epoch on the bundled data', (epoch['stdout'] or 'no output: ' + (steps['epoch']['note'] or steps['epoch']['status'])).rstrip()]
t += ['', '## cuBLAS']
if cublas['libraries']:
    t += ['found: %s (%s)' % (l['path'], l.get('origin')) for l in cublas['libraries']]
    t.append('chosen: %s' % cublas['chosen'])
    t.append('symbols ILGPU binds: ' + (', '.join('%s %s' % (k, 'yes' if v else 'NO') for k, v in cublas['symbols'].items()) or 'unknown (no nm)'))
else:
    t.append('no libcublas.so.13/.12/.11 found' if steps['cublas']['status'] == 'ok' else 'search failed: %s' % steps['cublas']['note'])
t.append("ILGPU 1.5.3's own probe (libcublas.so.12/.11/.10 by name, without VaeGpu's resolver) would load: %s" % (cublas['ilgpu_loadable'] or 'no'))
t.append('VaeGpu\'s own search (vaegpu devices): %s' % (next((l for l in text('devices', '.out').splitlines() if l.startswith('cublas:')), None) or 'no cublas line'))
t += ['', '## PyTorch reference (%s)' % (torch_python or 'no Python with torch'), json.dumps(torch) if torch else 'no result: ' + (steps['pytorch']['note'] or steps['pytorch']['status'])]
t += ['', '## ncu', ('%d kernels profiled, in ncu.out: %s' % (len(ncu['kernels']), ', '.join(ncu['kernels'])) if ncu['kernels'] else
                    'see ncu.out' if steps['ncu']['status'] == 'ok' else steps['ncu']['note'] or steps['ncu']['status'])]
t += ['', 'raw output of each step: NAME.out, NAME.err, NAME.exit in %s; the whole report as JSON in report.json' % report]
with open(os.path.join(report, 'report.txt'), 'w') as f:
    f.write('\n'.join(t) + '\n')
PY
}

# The same without Python: every output as a JSON string, figures picked out with grep.
json_string() { # FILE: its text as one JSON string
    if [ -f "$1" ]; then
        LC_ALL=C tr -d '\000-\010\013\014\016-\037' < "$1" | LC_ALL=C sed 's/\\/\\\\/g; s/"/\\"/g; s/\t/\\t/g; s/\r//g' |
            awk 'BEGIN { printf "\"" } { printf "%s%s", (NR > 1 ? "\\n" : ""), $0 } END { printf "\"" }'
    else echo null; fi
}
number_after() { # FILE KEY [WITHIN]: the number after "KEY": (inside the first "WITHIN":{...} if given), or null
    local v; if [ -n "${3:-}" ]; then v=$(grep -o "\"$3\":{[^}]*}" "$1" 2>/dev/null | head -n 1 | grep -oE "\"$2\": ?-?[0-9][0-9.eE+-]*" | head -n 1)
    else v=$(grep -oE "\"$2\": ?-?[0-9][0-9.eE+-]*" "$1" 2>/dev/null | head -n 1); fi
    [ -n "$v" ] && echo "${v#*:}" | tr -d ' ' || echo null
}
assemble_bash() {
    local device eager graph name code seconds limit state note command line first=1 ratio_eager=null ratio_graph=null
    device=$(number_after "$report/bench.out" device_us step)
    eager=$(number_after "$report/pytorch.out" eager_step_us); graph=$(number_after "$report/pytorch.out" graph_step_us)
    if [ "$device" != null ] && ! grep -q '"device": "cpu' "$report/pytorch.out"; then
        [ "$eager" = null ] || ratio_eager=$(awk -v a="$device" -v b="$eager" 'BEGIN { printf "%.3f", a / b }')
        [ "$graph" = null ] || ratio_graph=$(awk -v a="$device" -v b="$graph" 'BEGIN { printf "%.3f", a / b }')
    fi
    {
        printf '{"schema": "vaegpu-gpu-check/2", "assembled_by": "bash (no python3)", "started_utc": "%s", "seconds": %s, "budget_s": %s, "exit": %s,\n' "$started_utc" "$total_seconds" "$budget" "$status"
        printf '"bundle": %s,\n"steps": {' "$(printf '%s' "$bundle" > "$report/.bundle"; json_string "$report/.bundle")"
        while IFS= read -r line; do  # cut, not read: read would merge the empty note's two tabs
            name=$(cut -f1 <<< "$line") code=$(cut -f2 <<< "$line") seconds=$(cut -f3 <<< "$line") limit=$(cut -f4 <<< "$line")
            state=$(cut -f5 <<< "$line") note=$(cut -f6 <<< "$line") command=$(cut -f7 <<< "$line")
            [ "$name" = step ] && continue
            [ $first = 1 ] || printf ', '; first=0
            printf '%s' "$note" > "$report/.note"; printf '%s' "$command" > "$report/.command"
            printf '"%s": {"exit": %s, "status": "%s", "seconds": %s, "limit_s": %s, "note": %s, "command": %s}' "$name" \
                "$([[ "$code" =~ ^[0-9]+$ ]] && echo "$code" || echo null)" "$state" "$seconds" "$limit" "$(json_string "$report/.note")" "$(json_string "$report/.command")"
        done < "$report/steps.tsv"
        printf '},\n'
        for name in gpu devices cublas check bench epoch pytorch ncu; do printf '"%s_stdout": %s,\n' "$name" "$(json_string "$report/$name.out")"; done
        printf '"epoch_metrics_csv": %s,\n' "$(json_string "$report/epoch/metrics.csv")"
        printf '"comparison": {"vaegpu_step_device_us": %s, "vaegpu_step_wall_us": %s, "vaegpu_model_h100_step_us": %s, "pytorch_eager_step_us": %s, "pytorch_graph_step_us": %s, "vaegpu_over_eager": %s, "vaegpu_over_graph": %s}}\n' \
            "$device" "$(number_after "$report/bench.out" wall_us step)" "$(number_after "$report/bench.out" model_h100_step_us)" "$eager" "$graph" "$ratio_eager" "$ratio_graph"
    } > "$report/report.json"
    rm -f "$report/.bundle" "$report/.note" "$report/.command"
    {
        echo "# VaeGpu GPU check, $started_utc on $(hostname 2>/dev/null) ($total_seconds s of the $budget s budget; assembled without python3)"
        echo "bundle: $bundle"; echo "result: exit $status"; echo
        column -t -s $'\t' "$report/steps.tsv" 2>/dev/null || cat "$report/steps.tsv"
        echo; echo "## VaeGpu against PyTorch, one training step (batch 128), measured in this run"; echo
        echo "| measure | microseconds |"; echo "|---|---|"
        echo "| VaeGpu step, device time (bench step.device_us) | $device |"
        echo "| PyTorch eager step | $eager |"; echo "| PyTorch CUDA-graph step | $graph |"
        echo "| VaeGpu / PyTorch eager | $ratio_eager |"; echo "| VaeGpu / PyTorch graph | $ratio_graph |"
        for name in gpu devices cublas check bench epoch pytorch ncu; do
            echo; echo "## $name (exit $(cat "$report/$name.exit"))"; head -c 4000 "$report/$name.out"; tail -n 5 "$report/$name.err"
        done
    } > "$report/report.txt"
}

assembler=""
for py in python3 /usr/bin/python3 python; do command -v "$py" >/dev/null 2>&1 && { assembler=$py; break; }; done
if [ -z "$assembler" ] || ! assemble_python "$assembler" 2> "$report/assemble.err"; then
    [ -z "$assembler" ] || echo "gpu-check: the python3 report failed ($(tail -n 1 "$report/assemble.err")); writing the plain one" >&2
    assemble_bash
    if command -v jq >/dev/null; then jq empty "$report/report.json" 2>> "$report/assemble.err" || { echo "gpu-check: report.json is not valid JSON" >&2; status=1; }; fi
fi
echo "gpu-check: wrote $report/report.txt and $report/report.json (exit $status)" >&2
exit $status
