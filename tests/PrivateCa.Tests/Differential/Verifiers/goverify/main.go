// Command goverify is an outside judge for PrivateCa's differential tests: it
// validates TLS server certificate chains with Go's crypto/x509.
//
// Usage: goverify MANIFEST.json > results.json
//
// Manifest: {"cases":[{"id":"c1","leaf":"/abs/leaf.pem","intermediates":["/abs/i1.pem"],
// "roots":["/abs/root.pem"],"host":"model.internal","time":"2026-12-04T15:00:00Z"}]}
//
// Output: {"verifier":"go","version":"go1.x","results":[{"id":"c1","trusted":true,"error":""}]}
//
// Certificate files may be PEM (several certificates allowed; the leaf file must
// hold exactly one) or a single DER certificate. A certificate that cannot be
// parsed makes that case trusted=false with the parser's error; the batch goes on.
// Exit codes: 0 the batch ran, 2 usage or unreadable manifest.
package main

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"
)

type testCase struct {
	ID            string   `json:"id"`
	Leaf          string   `json:"leaf"`
	Intermediates []string `json:"intermediates"`
	Roots         []string `json:"roots"`
	Host          string   `json:"host"`
	Time          string   `json:"time"`
}

type manifest struct {
	Cases []testCase `json:"cases"`
}

type result struct {
	ID      string `json:"id"`
	Trusted bool   `json:"trusted"`
	Error   string `json:"error"`
}

type output struct {
	Verifier string   `json:"verifier"`
	Version  string   `json:"version"`
	Results  []result `json:"results"`
}

// loadCerts returns every certificate in a PEM file, or the one in a DER file.
func loadCerts(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(data, []byte("-----BEGIN")) {
		c, err := x509.ParseCertificate(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return []*x509.Certificate{c}, nil
	}
	var certs []*x509.Certificate
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%s: no certificate found", path)
	}
	return certs, nil
}

func verify(tc testCase) error {
	leaves, err := loadCerts(tc.Leaf)
	if err != nil {
		return err
	}
	if len(leaves) != 1 {
		return fmt.Errorf("leaf file %s holds %d certificates; exactly one expected", tc.Leaf, len(leaves))
	}
	inter := x509.NewCertPool()
	for _, p := range tc.Intermediates {
		certs, err := loadCerts(p)
		if err != nil {
			return err
		}
		for _, c := range certs {
			inter.AddCert(c)
		}
	}
	roots := x509.NewCertPool()
	for _, p := range tc.Roots {
		certs, err := loadCerts(p)
		if err != nil {
			return err
		}
		for _, c := range certs {
			roots.AddCert(c)
		}
	}
	if tc.Host == "" {
		return errors.New("case has no host")
	}
	now := time.Now()
	if tc.Time != "" {
		now, err = time.Parse(time.RFC3339, tc.Time)
		if err != nil {
			return fmt.Errorf("bad time %q: %w", tc.Time, err)
		}
	}
	_, err = leaves[0].Verify(x509.VerifyOptions{
		DNSName:       tc.Host, // an IP address here is matched against IP SANs
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	return err
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: goverify MANIFEST.json")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	var m manifest
	if err == nil {
		err = json.Unmarshal(data, &m)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "goverify: cannot read manifest %s: %v\n", os.Args[1], err)
		os.Exit(2)
	}
	out := output{Verifier: "go", Version: runtime.Version(), Results: []result{}}
	for _, tc := range m.Cases {
		r := result{ID: tc.ID, Trusted: true}
		if err := verify(tc); err != nil {
			r.Trusted = false
			r.Error = err.Error()
		}
		out.Results = append(out.Results, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "goverify:", err)
		os.Exit(2)
	}
}
