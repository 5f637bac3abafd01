package policycli_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/policycli"
)

// run runs `bulwark policy args...` with stdin and a fixed clock.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = policycli.RunEnv(args, policycli.Env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Now:    func() time.Time { return time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC) },
	})
	return code, out.String(), errOut.String()
}

type cliCase struct {
	name       string
	stdin      string
	args       []string
	code       int
	wantStdout []string // each must appear in stdout
	wantStderr []string // each must appear in stderr
	exact      string   // when set, stdout must equal it
}

func runCases(t *testing.T, cases []cliCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			if tc.exact != "" && stdout != tc.exact {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, tc.exact)
			}
			for _, w := range tc.wantStdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tc.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

const ex = "testdata/example/"

func TestUsage(t *testing.T) {
	runCases(t, []cliCase{
		{name: "no command", args: nil, code: 2, wantStderr: []string{"bulwark policy validate", "Exit status"}},
		{name: "help", args: []string{"help"}, code: 0, wantStdout: []string{"bulwark policy simulate"}},
		{name: "unknown command", args: []string{"lint"}, code: 2, wantStderr: []string{`unknown command "lint"`}},
		{name: "validate without files", args: []string{"validate"}, code: 2, wantStderr: []string{"no files"}},
		{name: "validate unknown type", args: []string{"validate", "--type", "bucket", ex + "developer.json"}, code: 2,
			wantStderr: []string{`unknown policy type "bucket"`}},
		{name: "validate unknown flag", args: []string{"validate", "--strict", ex + "developer.json"}, code: 2,
			wantStderr: []string{"flag provided but not defined: -strict"}},
		{name: "validate missing file", args: []string{"validate", ex + "nope.json"}, code: 2,
			wantStderr: []string{"read testdata/example/nope.json:"}},
		{name: "validate help", args: []string{"validate", "--help"}, code: 0, wantStderr: []string{"-managed"}},
		{name: "simulate without action", args: []string{"simulate", "--resource", "*", "--principal", "arn:aws:iam::111122223333:user/alice"},
			code: 2, wantStderr: []string{"--action, --resource and --principal are required"}},
		{name: "simulate with an argument", args: []string{"simulate", "--action", "s3:GetObject", "--resource", "*",
			"--principal", "arn:aws:iam::111122223333:user/alice", "extra"}, code: 2, wantStderr: []string{`unexpected argument "extra"`}},
		{name: "simulate a role", args: []string{"simulate", "--action", "s3:GetObject", "--resource", "*",
			"--principal", "arn:aws:iam::111122223333:role/admin"}, code: 2,
			wantStderr: []string{"a role does not make requests, its sessions do; use arn:aws:sts::111122223333:assumed-role/admin/SESSION"}},
		{name: "simulate type mismatch", args: []string{"simulate", "--action", "s3:GetObject", "--resource", "*",
			"--principal", "arn:aws:iam::111122223333:user/alice", "--principal-type", "root"}, code: 2,
			wantStderr: []string{"is a user ARN, not root"}},
		{name: "simulate bad account", args: []string{"simulate", "--action", "s3:GetObject", "--resource", "*",
			"--principal", "arn:aws:iam::1111:user/alice"}, code: 2, wantStderr: []string{"the account must be 12 digits"}},
		{name: "simulate bad context", args: []string{"simulate", "--action", "s3:GetObject", "--resource", "*",
			"--principal", "arn:aws:iam::111122223333:user/alice", "--context", "aws:SourceIp=ip:ten"}, code: 2,
			wantStderr: []string{`invalid value "aws:SourceIp=ip:ten" for flag -context: aws:SourceIp: ip value`}},
		{name: "simulate untyped context", args: []string{"simulate", "--action", "s3:GetObject", "--resource", "*",
			"--principal", "arn:aws:iam::111122223333:user/alice", "--context", "aws:username=alice"}, code: 2,
			wantStderr: []string{"want key=type:value"}},
		{name: "simulate bad time", args: []string{"simulate", "--action", "s3:GetObject", "--resource", "*",
			"--principal", "arn:aws:iam::111122223333:user/alice", "--time", "yesterday"}, code: 2, wantStderr: []string{"--time:"}},
		{name: "simulate missing policy file", args: []string{"simulate", "--action", "s3:GetObject", "--resource", "*",
			"--principal", "arn:aws:iam::111122223333:user/alice", "--identity", ex + "nope.json"}, code: 2,
			wantStderr: []string{"read testdata/example/nope.json"}},
		{name: "test without files", args: []string{"test"}, code: 2, wantStderr: []string{"no test files"}},
		{name: "test unknown field", args: []string{"test", "-"}, stdin: `{"tests": [{"name": "x", "expected": "allowed"}]}`,
			code: 2, wantStderr: []string{`json: unknown field "expected"`}},
		{name: "test no tests", args: []string{"test", "-"}, stdin: `{"policies": {}}`, code: 2, wantStderr: []string{"-: no tests"}},
	})
}

func TestValidate(t *testing.T) {
	runCases(t, []cliCase{
		{name: "valid", args: []string{"validate", ex + "developer.json"}, code: 0,
			exact: "testdata/example/developer.json: valid identity policy (3 statements)\n" +
				"1 file checked: 1 valid, 0 invalid; 0 errors, 0 warnings\n"},
		{name: "principal in an identity policy", args: []string{"validate", ex + "bad-policy.json", ex + "boundary.json"}, code: 1,
			exact: "testdata/example/bad-policy.json:6:7: error: MalformedPolicyDocument: Policy document should not specify a principal.\n" +
				"    detail: Identity policies cannot name a principal\n" +
				"testdata/example/boundary.json: valid identity policy (1 statement)\n" +
				"2 files checked: 1 valid, 1 invalid; 1 error, 0 warnings\n"},
		{name: "flags after files", args: []string{"validate", ex + "bad-policy.json", "--type", "resource"}, code: 0,
			wantStdout: []string{"bad-policy.json: valid resource policy (1 statement)"}},
		{name: "SCP with a principal", args: []string{"validate", "--type", "scp", ex + "bad-policy.json"}, code: 1,
			wantStdout: []string{"testdata/example/bad-policy.json:6:7: error: MalformedPolicyDocumentException: " +
				"The provided policy document does not meet the requirements of the specified policy type.\n" +
				"    detail: SCP policies cannot name a principal\n"}},
		{name: "bad effect from stdin", args: []string{"validate", "-"},
			stdin: "{\"Version\": \"2012-10-17\",\n \"Statement\": {\"Effect\": \"Alow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}", code: 1,
			exact: "<stdin>:2:26: error: MalformedPolicyDocument: Syntax errors in policy.\n" +
				"    detail: Effect must be Allow or Deny, not \"Alow\"\n" +
				"1 file checked: 0 valid, 1 invalid; 1 error, 0 warnings\n"},
		{name: "warning", args: []string{"validate", "-"},
			stdin: `{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}"}}`, code: 0,
			exact: "<stdin>:1:73: warning: Variable unsupported in version: To include variables in your policy, use the policy version 2012-10-17 or later.\n" +
				"<stdin>: valid identity policy (1 statement)\n" +
				"1 file checked: 1 valid, 0 invalid; 0 errors, 1 warning\n"},
		{name: "managed needs a version", args: []string{"validate", "--managed", "-"},
			stdin: `{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`, code: 1,
			wantStdout: []string{"<stdin>:", ": error: MalformedPolicyDocument: "}},
		{name: "SCP over its quota", args: []string{"validate", "--type", "scp", "-"},
			stdin: `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}` + strings.Repeat(" ", 5200), code: 1,
			wantStdout: []string{"<stdin>: error: ConstraintViolationException: You have exceeded the maximum policy size.\n"}},
	})
}
