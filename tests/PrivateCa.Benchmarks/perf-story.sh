#!/usr/bin/env bash
# The performance story in one run, for a quiet machine (about 10 minutes on 2 cores; budget ≤ 20): scaling with bundle size and
# with concurrency, bundle load by size (steady and fresh process), where a new connection's time goes, resumed vs
# full handshakes, rotation under load, and the per-handshake Validation/Connection/BundleLoad benchmarks. Writes the
# tables and SVG plots into docs/BENCHMARKS.md (between its <!-- perf:NAME --> markers) and docs/*.svg.
#
# Usage: bash tests/PrivateCa.Benchmarks/perf-story.sh [run-folder]
#   PERF_DOC=path      document to fill (default docs/BENCHMARKS.md)
#   PERF_PLOTS=folder  where the SVGs go (default: the document's folder)
#   PRIVATECA_BENCH_DRY=1  check that every part runs (one cold iteration each; figures meaningless) — use with a
#                          PERF_DOC copy, never to write docs/BENCHMARKS.md
set -euo pipefail
cd "$(dirname "$0")/../.."
run="${1:-$(mktemp -d -t privateca-perf-XXXXXX)}"
doc="${PERF_DOC:-docs/BENCHMARKS.md}"
plots="${PERF_PLOTS:-$(dirname "$doc")}"
dry="${PRIVATECA_BENCH_DRY:-0}"
mkdir -p "$run" "$plots"
started=$(date +%s)
step() { echo "== $(date -u +%H:%M:%S) ($(( $(date +%s) - started )) s) $*" >&2; }

step "build (Release)"
dotnet build tests/PrivateCa.Benchmarks -c Release >/dev/null
bench="dotnet tests/PrivateCa.Benchmarks/bin/Release/net10.0/PrivateCa.Benchmarks.dll"
merged="$($bench pki)"
$bench scale-pki

step "BenchmarkDotNet: scaling, concurrency, bundle load, resumption, validation, connection (log: $run/bdn.log)"
# Every class with the story's shorter job (3 warm-up + 12 iterations of 250 ms), to stay within the time budget.
PRIVATECA_BENCH_QUICK=1 $bench --filter '*ScalingBenchmarks*' '*ConcurrencyBenchmarks*' '*ResumptionBenchmarks*' \
  '*ValidationBenchmarks*' '*ConnectionBenchmarks*' '*BundleLoadBenchmarks*' \
  --exporters json --buildTimeout 900 --artifacts "$run/bdn" >"$run/bdn.log" 2>&1 || { tail -50 "$run/bdn.log" >&2; exit 1; }

if [ "$dry" = 1 ]; then connections=100; runs=1; phase=2; rounds=1; else connections=2000; runs=7; phase=5; rounds=3; fi
step "breakdown of a new connection ($connections connections per variant)"
SSL_CERT_FILE="$merged" $bench breakdown "$connections" "$run/breakdown.md" >/dev/null
step "bundle load in fresh processes ($runs per size and method)"
$bench load-fresh "$runs" "$run/fresh-load.tsv" >/dev/null
step "rotation under load ($rounds rounds of ${phase} s + ${phase} s)"
$bench rotation "$phase" "$rounds" "$run/rotation.md" >/dev/null

step "report → $doc, plots → $plots"
$bench report "$run" "$doc" "$plots"
step "done; raw results in $run"
