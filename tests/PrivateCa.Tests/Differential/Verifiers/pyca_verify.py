#!/usr/bin/env python3
"""Outside judge: pyca `cryptography`'s X.509 path validation (x509.verification).

Usage: pyca_verify.py MANIFEST.json  > results.json

Manifest: {"cases": [{"id": "c1", "leaf": "/abs/leaf.pem",
                      "intermediates": ["/abs/i1.pem"], "roots": ["/abs/root.pem"],
                      "host": "model.internal" | "10.0.0.7" | "fd00::7",
                      "time": "2026-12-04T15:00:00Z"}]}

Output: {"verifier": "pyca", "version": "<cryptography version>",
         "results": [{"id": "c1", "trusted": true, "error": ""}, ...]}

Certificate files may be PEM (a file may hold several certificates; the leaf file
must hold exactly one) or a single DER certificate. A certificate that cannot be
loaded makes that case trusted=false with the loader's error; the batch goes on.

Exit codes: 0 the batch ran (whatever the verdicts); 2 usage or unreadable
manifest; 3 `cryptography` is missing or has no x509.verification (printed as
{"unavailable": "..."}).
"""
import datetime
import ipaddress
import json
import sys

UNAVAILABLE_EXIT = 3
USAGE_EXIT = 2


def _unavailable(reason):
    print(json.dumps({"unavailable": reason}))
    sys.exit(UNAVAILABLE_EXIT)


try:
    import cryptography
except ImportError as e:  # pragma: no cover - depends on the machine
    _unavailable(
        "Python module 'cryptography' is not installed for %s (%s): %s. "
        "pyca_verify needs cryptography >= 42 (written against 48), which "
        "provides cryptography.x509.verification; PyPI is not reachable here, so "
        "it cannot be installed on this machine." % (sys.executable, sys.version.split()[0], e))

try:
    from cryptography import x509
    from cryptography.x509.verification import PolicyBuilder, Store
except ImportError as e:  # pragma: no cover - depends on the machine
    _unavailable(
        "cryptography %s at %s has no cryptography.x509.verification "
        "(added in 42; pyca_verify is written against 48) for %s: %s. "
        "PyPI is not reachable here, so it cannot be upgraded on this machine."
        % (getattr(cryptography, "__version__", "?"),
           getattr(cryptography, "__file__", "?"), sys.executable, e))


def _load_certs(path):
    """All certificates in a PEM file, or the one certificate in a DER file."""
    with open(path, "rb") as f:
        data = f.read()
    if b"-----BEGIN" in data:
        certs = x509.load_pem_x509_certificates(data)
    else:
        certs = [x509.load_der_x509_certificate(data)]
    if not certs:
        raise ValueError("no certificate in %s" % path)
    return certs


def _load_leaf(path):
    certs = _load_certs(path)
    if len(certs) != 1:
        raise ValueError("leaf file %s holds %d certificates; exactly one expected"
                         % (path, len(certs)))
    return certs[0]


def _subject(host):
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _time(text):
    if not text:
        return datetime.datetime.now(datetime.timezone.utc)
    t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return t


def _describe(exc):
    text = str(exc) or exc.__class__.__name__
    if not isinstance(exc, x509.verification.VerificationError):
        text = "%s: %s" % (exc.__class__.__name__, text)
    return text


def verify_case(case):
    case_id = case.get("id", "")
    try:
        leaf = _load_leaf(case["leaf"])
        intermediates = [c for p in case.get("intermediates", []) for c in _load_certs(p)]
        roots = [c for p in case.get("roots", []) for c in _load_certs(p)]
        verifier = (PolicyBuilder()
                    .store(Store(roots))
                    .time(_time(case.get("time")))
                    .build_server_verifier(_subject(case["host"])))
        verifier.verify(leaf, intermediates)
        return {"id": case_id, "trusted": True, "error": ""}
    except Exception as e:  # any failure is a rejection of this case only
        return {"id": case_id, "trusted": False, "error": _describe(e)}


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: pyca_verify.py MANIFEST.json\n")
        return USAGE_EXIT
    try:
        with open(argv[1], "rb") as f:
            manifest = json.load(f)
        cases = manifest["cases"]
        if not isinstance(cases, list):
            raise ValueError("'cases' is not a list")
    except Exception as e:
        sys.stderr.write("pyca_verify: cannot read manifest %s: %s\n" % (argv[1], e))
        return USAGE_EXIT
    results = [verify_case(c if isinstance(c, dict) else {}) for c in cases]
    print(json.dumps({"verifier": "pyca", "version": cryptography.__version__,
                      "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
