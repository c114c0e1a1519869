#!/usr/bin/env bash
# New TLS connections per second against one HTTPS server (Kestrel on 127.0.0.1) and one merged bundle
# (Debian's roots + a private root, 145 certificates), measured one after another in the same run, for:
# PrivateCa, .NET default system trust (SSL_CERT_FILE), Python requests and http.client, Node https (ca / secureContext).
# Usage: bash tests/PrivateCa.Benchmarks/peers/compare.sh [seconds-per-peer]
set -euo pipefail
cd "$(dirname "$0")/../../.."
seconds="${1:-10}"
project=tests/PrivateCa.Benchmarks
dotnet build "$project" -c Release >/dev/null
bench="dotnet $project/bin/Release/net10.0/PrivateCa.Benchmarks.dll"
bundle="$($bench pki)"
python=python3
$python -c 'import requests' 2>/dev/null || { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import requests' 2>/dev/null && python=/usr/bin/python3; } || {
  echo "Python 'requests' is missing: apt-get install -y python3-requests" >&2; exit 1; }

coproc SERVER { $bench serve; }
read -r port <&"${SERVER[0]}"
url="https://127.0.0.1:$port/"
trap 'exec {SERVER[1]}>&-; wait "$SERVER_PID" 2>/dev/null || true' EXIT

declare -A rate
rate[privateca]=$($bench connect privateca "$url" "$seconds")
rate[dotnet-system]=$(SSL_CERT_FILE="$bundle" $bench connect system "$url" "$seconds")
rate[python-requests]=$($python $project/peers/python_peer.py requests "$url" "$bundle" "$seconds")
rate[python-httpclient]=$($python $project/peers/python_peer.py httpclient "$url" "$bundle" "$seconds")
rate[node-ca]=$(node $project/peers/node_peer.js ca "$url" "$bundle" "$seconds")
rate[node-securecontext]=$(node $project/peers/node_peer.js securecontext "$url" "$bundle" "$seconds")

echo "New HTTPS connections per second, $seconds s each, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, bundle of $(grep -c 'BEGIN CERTIFICATE' "$bundle") certificates"
printf '| %-20s | %10s | %16s |\n' "client" "conn/s" "PrivateCa / peer"
printf '|%s|%s|%s|\n' "----------------------" "------------" "------------------"
for name in privateca dotnet-system python-requests python-httpclient node-ca node-securecontext; do
  printf '| %-20s | %10s | %15sx |\n' "$name" "${rate[$name]}" "$(python3 -c "print(f'{${rate[privateca]}/${rate[$name]}:.2f}')")"
done
