package policycli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/policycli"
)

// docSession is one command of a console block in docs/policy-cli.md with the output
// shown under it.
type docSession struct {
	line int
	args []string
	want string
	code int // the status an "echo $?" after it shows, or -1
}

// parseDoc reads the console blocks of the documentation: "$ bulwark policy ..." lines
// (continued by a trailing backslash), their output, and "$ echo $?" with the status.
func parseDoc(t *testing.T, path string) (dir string, sessions []docSession) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		in       bool
		cur      *docSession
		cmd      strings.Builder
		cmdLine  int
		wantCode bool
	)
	flush := func() {
		if cur != nil {
			sessions = append(sessions, *cur)
			cur = nil
		}
	}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case !in:
			in = line == "```console"
			continue
		case line == "```":
			flush()
			in = false
			continue
		case cmd.Len() > 0 || strings.HasPrefix(line, "$ "):
			if cmd.Len() == 0 {
				cmdLine = n
			}
			cmd.WriteString(strings.TrimSuffix(strings.TrimPrefix(line, "$ "), "\\"))
			cmd.WriteString(" ")
			if strings.HasSuffix(line, "\\") {
				continue
			}
			words := strings.Fields(cmd.String())
			cmd.Reset()
			switch {
			case len(words) == 2 && words[0] == "cd":
				dir = words[1]
			case len(words) == 2 && words[0] == "echo" && words[1] == "$?":
				if cur == nil {
					t.Fatalf("%s:%d: echo $? without a command", path, n)
				}
				wantCode = true
			case len(words) > 2 && words[0] == "bulwark" && words[1] == "policy":
				flush()
				for i, w := range words {
					words[i] = strings.Trim(w, "'")
				}
				cur = &docSession{line: cmdLine, args: words[2:], code: -1}
			default:
				t.Fatalf("%s:%d: unknown command %q", path, n, words)
			}
		case wantCode:
			code, err := strconv.Atoi(line)
			if err != nil {
				t.Fatalf("%s:%d: exit status %q", path, n, line)
			}
			cur.code = code
			wantCode = false
		case cur != nil:
			cur.want += line + "\n"
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return dir, sessions
}

// TestDocumentation runs the console sessions of docs/policy-cli.md in the directory
// its "cd" names, and compares their output and exit status with the documentation.
func TestDocumentation(t *testing.T) {
	const doc = "../../docs/policy-cli.md"
	dir, sessions := parseDoc(t, doc)
	const want = "internal/policycli/testdata/example"
	if dir != want {
		t.Fatalf("%s: the sessions must start with cd %s, not %q", doc, want, dir)
	}
	if len(sessions) < 5 {
		t.Fatalf("%s: %d sessions, want the documented examples", doc, len(sessions))
	}
	t.Chdir("testdata/example")
	for _, s := range sessions {
		code, stdout, stderr := run(t, "", s.args...)
		if got := stdout + stderr; got != s.want {
			t.Errorf("%s:%d: bulwark policy %s\noutput:\n%s\ndocumented:\n%s", doc, s.line, strings.Join(s.args, " "), got, s.want)
		}
		if s.code >= 0 && code != s.code {
			t.Errorf("%s:%d: exit status %d, documented %d", doc, s.line, code, s.code)
		}
	}
}

// TestDocumentedTestFile checks that the excerpt of developer.tests.json in the
// documentation is the file's: the same policies and defaults, and tests the file has.
func TestDocumentedTestFile(t *testing.T) {
	b, err := os.ReadFile("../../docs/policy-cli.md")
	if err != nil {
		t.Fatal(err)
	}
	const intro = "`developer.tests.json` states what Alice can and cannot do:\n\n```json\n"
	_, rest, ok := strings.Cut(string(b), intro)
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/policy-cli.md: no developer.tests.json excerpt")
	}
	var doc, file policycli.TestFile
	if err := json.Unmarshal([]byte(block), &doc); err != nil {
		t.Fatalf("docs/policy-cli.md: the excerpt: %v", err)
	}
	if err := json.Unmarshal([]byte(readFile(t, ex+"developer.tests.json")), &file); err != nil {
		t.Fatal(err)
	}
	canon := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var c bytes.Buffer
		if err := json.Compact(&c, b); err != nil {
			t.Fatal(err)
		}
		return c.String()
	}
	if canon(doc.Policies) != canon(file.Policies) || canon(doc.Defaults) != canon(file.Defaults) {
		t.Errorf("the documented policies or defaults differ from %sdeveloper.tests.json", ex)
	}
	var tests []string
	for _, tc := range file.Tests {
		tests = append(tests, canon(tc))
	}
	for _, tc := range doc.Tests {
		if !slices.Contains(tests, canon(tc)) {
			t.Errorf("documented test %q is not in %sdeveloper.tests.json as shown", tc.Name, ex)
		}
	}
}
