package policycli_test

import (
	"os"
	"testing"
)

func TestTestFiles(t *testing.T) {
	runCases(t, []cliCase{
		{name: "example", args: []string{"test", ex + "developer.tests.json", ex + "partner.tests.json"}, code: 0,
			exact: "ok: 9 tests passed\n"},
		{name: "verbose", args: []string{"test", "-v", ex + "partner.tests.json"}, code: 0,
			exact: "--- PASS: the partner reads the shared folder (allowed)\n" +
				"--- PASS: the partner cannot read alice's folder (implicitDeny)\n" +
				"ok: 2 tests passed\n"},
		{name: "features", args: []string{"test", "testdata/features.tests.json"}, code: 0, exact: "ok: 10 tests passed\n"},
		{name: "failures", args: []string{"test", "testdata/fail/fail.tests.json"}, code: 1, exact: readFile(t, "testdata/fail/fail.out")},
		{name: "failing and passing files", args: []string{"test", ex + "partner.tests.json", "testdata/fail/fail.tests.json"}, code: 1,
			wantStdout: []string{"FAIL: 7 of 10 tests failed\n"}},
		{name: "context key twice", args: []string{"test", "-"}, code: 1,
			stdin: `{"tests": [{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*",
			"context": {"aws:SourceIp": "10.0.0.1", "aws:sourceip": "10.0.0.2"}, "expect": "allowed"}]}`,
			wantStdout: []string{"is given twice (key names are case-insensitive)", "FAIL: 1 of 1 test failed\n"}},
		{name: "JSON syntax error", args: []string{"test", "-"}, code: 2, stdin: "{\"tests\": [\n  {\"name\": \"x\",}\n]}",
			wantStderr: []string{"bulwark policy test: -:2:17: invalid character '}'"}},
		{name: "JSON type error", args: []string{"test", "-"}, code: 2, stdin: "{\"tests\": [{\"identity\": \"developer\"}]}",
			wantStderr: []string{"bulwark policy test: -:1:"}},
		{name: "text after the object", args: []string{"test", "-"}, code: 2, stdin: "{\"tests\": []} {}",
			wantStderr: []string{"text after the test file's JSON object"}},
		{name: "unnamed test", args: []string{"test", "-"}, code: 1,
			stdin:      `{"tests": [{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*", "expect": "allowed"}]}`,
			wantStdout: []string{"--- FAIL: test 1 (-)\n    expected allowed, got implicitDeny\n"}},
		{name: "unreadable file", args: []string{"test", ex + "partner.tests.json", "testdata/nope.tests.json"}, code: 2,
			wantStderr: []string{"read testdata/nope.tests.json"}, wantStdout: []string{"FAIL: 2 tests passed, but a test file could not be run\n"}},
		{name: "stdin", args: []string{"test", "-"}, code: 0, exact: "ok: 1 test passed\n",
			stdin: `{"policies": {"p": {"document": {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}},
			"tests": [{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*", "identity": ["p"], "expect": "allowed"}]}`},
	})
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
