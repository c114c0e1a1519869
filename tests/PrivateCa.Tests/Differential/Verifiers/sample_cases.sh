#!/usr/bin/env bash
# Makes the hand-check certificates (a)-(i) of README.md in a scratch folder with the
# openssl CLI, runs the three outside judges on them and prints one line per case.
# Keys and certificates stay in the scratch folder: never commit them.
#
# Usage: sample_cases.sh [SCRATCH_DIR]      (default: a new mktemp -d folder)
# Needs: openssl; python3 with cryptography >= 42 (PYTHON=... to choose one);
#        go (or GOVERIFY=/path/to/built/goverify).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
d="${1:-$(mktemp -d)}"
mkdir -p "$d"
cd "$d"
PYTHON="${PYTHON:-python3}"
# Certificates start now; every case is judged ten days ahead (before the others
# expire, after the one-day leaf of case (h) has).
when_epoch=$(( $(date -u +%s) + 10*86400 ))
when_iso=$(date -u -d "@$when_epoch" +%Y-%m-%dT%H:%M:%SZ)

ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
rsa() { openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1.key" 2>/dev/null; }
# sign NAME ISSUER DAYS DIGEST EXTENSIONS...  (EXTENSIONS: one config line each)
sign() {
  local name=$1 issuer=$2 days=$3 md=$4; shift 4
  printf '%s\n' "$@" > "$name.ext"
  openssl req -new -key "$name.key" -subj "/CN=$name" -out "$name.csr"
  openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -set_serial "0x$(openssl rand -hex 8)" \
    -days "$days" "-$md" -extfile "$name.ext" -out "$name.pem" 2>/dev/null
}
ca_ext=(basicConstraints=critical,CA:TRUE,pathlen:0 keyUsage=critical,keyCertSign,cRLSign
        subjectKeyIdentifier=hash authorityKeyIdentifier=keyid:always)
leaf_ext=(basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature
          subjectKeyIdentifier=hash authorityKeyIdentifier=keyid:always)

ec root
openssl req -x509 -new -key root.key -subj /CN=root -days 3650 -sha256 -out root.pem \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -addext subjectKeyIdentifier=hash
ec inter;      sign inter root 3650 sha256 "${ca_ext[@]}"
rsa inter1024 1024; sign inter1024 root 3650 sha256 "${ca_ext[@]}"
ec inter_nc;   sign inter_nc root 3650 sha256 "${ca_ext[@]}" nameConstraints=critical,permitted\;DNS:corp.example
ec inter_ex;   sign inter_ex root 3650 sha256 "${ca_ext[@]}" nameConstraints=critical,excluded\;DNS:secret.corp.example

ec good;     sign good inter 365 sha256 "${leaf_ext[@]}" extendedKeyUsage=serverAuth subjectAltName=DNS:model.internal
ec sha1;     sign sha1 inter 365 sha1 "${leaf_ext[@]}" extendedKeyUsage=serverAuth subjectAltName=DNS:model.internal
ec weak;     sign weak inter1024 365 sha256 "${leaf_ext[@]}" extendedKeyUsage=serverAuth subjectAltName=DNS:model.internal
ec ncbad;    sign ncbad inter_nc 365 sha256 "${leaf_ext[@]}" extendedKeyUsage=serverAuth subjectAltName=DNS:other.example
ec dot;      sign dot inter_ex 365 sha256 "${leaf_ext[@]}" extendedKeyUsage=serverAuth subjectAltName=DNS:secret.corp.example.
ec dot2;     sign dot2 inter_ex 365 sha256 "${leaf_ext[@]}" extendedKeyUsage=serverAuth subjectAltName=DNS:secret.corp.example.,DNS:public.corp.example
ec nodot2;   sign nodot2 inter_ex 365 sha256 "${leaf_ext[@]}" extendedKeyUsage=serverAuth subjectAltName=DNS:secret.corp.example,DNS:public.corp.example
ec ip;       sign ip inter 365 sha256 "${leaf_ext[@]}" extendedKeyUsage=serverAuth subjectAltName=IP:10.0.0.7,IP:fd00::7
ec expired;  sign expired inter 1 sha256 "${leaf_ext[@]}" extendedKeyUsage=serverAuth subjectAltName=DNS:model.internal
ec client;   sign client inter 365 sha256 "${leaf_ext[@]}" extendedKeyUsage=clientAuth subjectAltName=DNS:model.internal

# id leaf intermediate host
cases=(
  "a-good good inter model.internal"
  "b-host-mismatch good inter other.internal"
  "c-sha1-leaf sha1 inter model.internal"
  "d-rsa1024-intermediate weak inter1024 model.internal"
  "e-nc-permitted-violation ncbad inter_nc other.example"
  "f1-nc-excluded-trailing-dot-san dot inter_ex secret.corp.example"
  "f2-same-host-with-trailing-dot dot inter_ex secret.corp.example."
  "f3-trailing-dot-san-beside-host-san dot2 inter_ex public.corp.example"
  "f4-control-excluded-san-no-dot nodot2 inter_ex public.corp.example"
  "g1-ip-san-v4 ip inter 10.0.0.7"
  "g2-ip-san-v6 ip inter fd00::7"
  "h-expired-leaf expired inter model.internal"
  "i-eku-clientauth-only client inter model.internal"
)

{
  printf '{"cases":['
  sep=
  for c in "${cases[@]}"; do
    read -r id leaf inter host <<<"$c"
    printf '%s{"id":"%s","leaf":"%s","intermediates":["%s"],"roots":["%s"],"host":"%s","time":"%s"}' \
      "$sep" "$id" "$d/$leaf.pem" "$d/$inter.pem" "$d/root.pem" "$host" "$when_iso"
    sep=,
  done
  printf ']}\n'
} > manifest.json

"$PYTHON" "$here/pyca_verify.py" manifest.json > pyca.json || true
if [ -z "${GOVERIFY:-}" ]; then
  (cd "$here/goverify" && GOFLAGS=-mod=mod GOPROXY=off go build -o "$d/goverify" .)
  GOVERIFY="$d/goverify"
fi
"$GOVERIFY" manifest.json > go.json

: > openssl.txt
for c in "${cases[@]}"; do
  read -r id leaf inter host <<<"$c"
  if [[ "$host" =~ ^[0-9.]+$ || "$host" == *:* ]]; then hostflag=(-verify_ip "$host"); else hostflag=(-verify_hostname "$host"); fi
  out=$(openssl verify -x509_strict -auth_level 2 -purpose sslserver "${hostflag[@]}" \
        -CAfile root.pem -untrusted "$inter.pem" -attime "$when_epoch" "$leaf.pem" 2>&1) && rc=0 || rc=$?
  printf '%s\t%s\t%s\n' "$id" "$rc" "$(printf '%s' "$out" | tr '\n' ' ')" >> openssl.txt
done

"$PYTHON" - "$d" <<'PY'
import json, sys, os
d = sys.argv[1]
py = json.load(open(os.path.join(d, "pyca.json")))
go = json.load(open(os.path.join(d, "go.json")))
ossl = {}
for line in open(os.path.join(d, "openssl.txt")):
    i, rc, text = line.rstrip("\n").split("\t", 2)
    ossl[i] = (rc == "0", text.strip())
pyr = {r["id"]: r for r in py.get("results", [])}
print("pyca", py.get("version", py.get("unavailable")), "| go", go["version"])
for r in go["results"]:
    i = r["id"]
    p = pyr.get(i, {"trusted": None, "error": "unavailable"})
    o = ossl[i]
    print(f"{i}\n  pyca:    {'TRUSTED' if p['trusted'] else 'rejected'}  {p['error']}"
          f"\n  go:      {'TRUSTED' if r['trusted'] else 'rejected'}  {r['error']}"
          f"\n  openssl: {'TRUSTED' if o[0] else 'rejected'}  {o[1]}")
PY
echo "scratch folder: $d"
