#!/usr/bin/env bash
# Where PrivateCa's share of a cold start goes: the same small app with and without AddPrivateCaTrust(), each run a fresh
# JIT process, interleaved, against a local HTTPS endpoint (Kestrel on 127.0.0.1) whose private root is in the
# 145-certificate bundle named by SSL_CERT_FILE. Prints the median of each phase and of the wall time.
# Usage: bash tests/PrivateCa.Benchmarks/startup/phases.sh [runs]     (default 15; quote figures from a quiet machine only)
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs="${1:-15}"
project=tests/PrivateCa.Benchmarks
dotnet build "$project" -c Release >/dev/null
dotnet build "$project/startup/Phases" -c Release >/dev/null
bench="dotnet $project/bin/Release/net10.0/PrivateCa.Benchmarks.dll"
phases="$project/startup/Phases/bin/Release/net10.0/Phases.dll"
bundle="$($bench pki)"
coproc SERVER { $bench serve; }
read -r port <&"${SERVER[0]}"
trap 'exec {SERVER[1]}>&-; wait "$SERVER_PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 "$runs"); do
  for mode in plain privateca; do
    begin=$(date +%s%N)
    line=$(SSL_CERT_FILE="$bundle" dotnet "$phases" "https://127.0.0.1:$port/" "$mode")
    end=$(date +%s%N)
    echo "$mode wall $(( (end - begin) / 1000000 )) $line"
  done
done | python3 -c '
import collections, statistics, sys
samples = collections.defaultdict(lambda: collections.defaultdict(list))
for line in sys.stdin:
    words = line.split()
    for name, value in zip(words[1::2], words[2::2]):
        samples[words[0]][name].append(float(value))
names = list(samples["plain"])
print("| phase (median ms of %d fresh processes) | without PrivateCa | with AddPrivateCaTrust() | difference |" % len(samples["plain"]["wall"]))
print("|---|---:|---:|---:|")
for name in names:
    a, b = statistics.median(samples["plain"][name]), statistics.median(samples["privateca"][name])
    print(f"| {name} | {a:.1f} | {b:.1f} | {b - a:+.1f} |")
'
