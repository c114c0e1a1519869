#!/usr/bin/env bash
# Per-handshake benchmarks of an earlier commit beside the working tree, in one table: builds the benchmark project
# of BASE_REV in a temporary git worktree and of this tree, then runs the chosen benchmarks for both, interleaved
# (base, head, base, head, …) so that drift on the machine affects both alike; the table shows the median of each
# side's per-run medians. Each side runs its own benchmark code, so a benchmark renamed between the commits shows
# on one side only.
#
# Usage: bash tests/PrivateCa.Benchmarks/compare-commits.sh BASE_REV [rounds] [filter ...]
#   rounds  runs per side (default 2)
#   filter  BenchmarkDotNet --filter globs (default: '*ValidationBenchmarks*' '*ConnectionBenchmarks*')
#   COMPARE_JOB=short  pass --job short to both sides (default: each side's own default job); only for a BASE_REV
#                      from after the commit that made --job replace the default job, or the base runs both jobs
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { echo "usage: $0 BASE_REV [rounds] [filter ...]" >&2; exit 2; }
base_rev="$1"; shift
rounds="${1:-2}"; [ $# -ge 1 ] && shift
filters=("$@"); [ ${#filters[@]} -gt 0 ] || filters=('*ValidationBenchmarks*' '*ConnectionBenchmarks*')
base_sha="$(git rev-parse --verify "$base_rev^{commit}")"
head_desc="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src tests || echo '+uncommitted')"
work="$(mktemp -d -t privateca-compare-XXXXXX)"
cleanup() { git worktree remove --force "$work/base" >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "== base $base_rev ($(git rev-parse --short "$base_sha")) vs head $head_desc; $rounds round(s); results in $work" >&2
git worktree add --detach "$work/base" "$base_sha" >/dev/null 2>&1
dotnet build "$work/base/tests/PrivateCa.Benchmarks" -c Release >"$work/build-base.log" 2>&1 || { tail -20 "$work/build-base.log" >&2; exit 1; }
dotnet build tests/PrivateCa.Benchmarks -c Release >"$work/build-head.log" 2>&1 || { tail -20 "$work/build-head.log" >&2; exit 1; }

job=(); [ -n "${COMPARE_JOB:-}" ] && job=(--job "$COMPARE_JOB")
for round in $(seq 1 "$rounds"); do
  for side in base head; do
    root=.; [ "$side" = base ] && root="$work/base"
    echo "== $(date -u +%H:%M:%S) round $round: $side" >&2
    (cd "$root" && dotnet tests/PrivateCa.Benchmarks/bin/Release/net10.0/PrivateCa.Benchmarks.dll --filter "${filters[@]}" "${job[@]}" \
      --exporters json --buildTimeout 900 --artifacts "$work/$side-$round") >"$work/$side-$round.log" 2>&1 \
      || { tail -30 "$work/$side-$round.log" >&2; exit 1; }
  done
done

python3 - "$work" "$base_rev" "$head_desc" <<'PY'
import glob, json, os, statistics, sys
work, base_rev, head_desc = sys.argv[1:4]
runs = {"base": {}, "head": {}}
for side in runs:
    for path in glob.glob(os.path.join(work, f"{side}-*", "results", "*-report-full-compressed.json")):
        for b in json.load(open(path))["Benchmarks"]:
            stats = b.get("Statistics")
            if not stats:
                continue
            key = (b["Type"], b["MethodTitle"].strip("'"), b.get("Parameters") or "")
            entry = runs[side].setdefault(key, {"median": [], "alloc": None})
            entry["median"].append(stats["Median"])
            entry["alloc"] = (b.get("Memory") or {}).get("BytesAllocatedPerOperation")

def time(ns):
    return f"{ns:.1f} ns" if ns < 1e3 else f"{ns/1e3:.2f} µs" if ns < 1e6 else f"{ns/1e6:.3f} ms"

def alloc(b):
    return "–" if b is None else f"{b/1024:.2f} KB"

keys = sorted(set(runs["base"]) | set(runs["head"]))
print(f"| benchmark | base {base_rev} | head {head_desc} | head / base | allocated base → head |")
print("|---|---:|---:|---:|---|")
for key in keys:
    b, h = runs["base"].get(key), runs["head"].get(key)
    bm = statistics.median(b["median"]) if b else None
    hm = statistics.median(h["median"]) if h else None
    name = f"{key[0]}: {key[1]}" + (f" [{key[2]}]" if key[2] else "")
    ratio = f"{hm/bm:.2f}" if bm and hm else "–"
    print(f"| {name} | {time(bm) if bm else '–'} | {time(hm) if hm else '–'} | {ratio} | {alloc(b['alloc'] if b else None)} → {alloc(h['alloc'] if h else None)} |")
PY
