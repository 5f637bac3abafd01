// Package policycli is the `bulwark policy` command: it checks IAM policy documents and
// evaluates requests against them without a server, so that people can check their
// policies in CI and learners can see why AWS would allow or deny a request.
//
// It has three subcommands, documented in docs/policy-cli.md:
//
//   - validate: AWS's findings for each policy document, with file:line:column;
//   - simulate: one request against the policies named on the command line, with the
//     decision, the deciding statement and AWS's reason;
//   - test: the requests of a JSON test file, each with its expected decision.
//
// Everything runs on the public package github.com/bulwarkhq/bulwark/policy, the engine
// the server uses.
package policycli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Exit codes. Every subcommand returns ExitUsage when it cannot run as asked (a bad
// flag, a file it cannot read, a malformed test file).
const (
	// ExitOK: every policy is valid, the request is allowed, every test passed.
	ExitOK = 0
	// ExitFailed: a policy is invalid (validate, or a policy that simulate or test
	// needs), or a test failed.
	ExitFailed = 1
	// ExitUsage: bad flags or arguments, or an input that cannot be read.
	ExitUsage = 2
	// ExitDenied: simulate's request is denied, explicitly or implicitly.
	ExitDenied = 3
)

// Env is what the command reads and writes besides its arguments.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Now gives the request time when simulate has no --time and a test has no "time".
	Now func() time.Time
}

const usage = `Usage:
  bulwark policy validate [--type KIND] [--managed] FILE...
  bulwark policy simulate --action ACTION --resource ARN --principal ARN [flags]
  bulwark policy test [-v] FILE...

KIND is identity (the default), resource, trust, scp, rcp, boundary or session.
FILE - reads standard input. Run 'bulwark policy COMMAND --help' for the flags.

Exit status: 0 valid / allowed / all tests passed; 1 a policy is invalid or a test
failed; 2 usage error or unreadable input; 3 simulate's request is denied.
See docs/policy-cli.md.
`

// Run runs `bulwark policy` with the process's standard input and clock.
func Run(args []string, stdout, stderr io.Writer) int {
	return RunEnv(args, Env{Stdin: os.Stdin, Stdout: stdout, Stderr: stderr, Now: time.Now})
}

// RunEnv runs `bulwark policy` with args (the words after "policy") in env and returns
// the exit status.
func RunEnv(args []string, env Env) int {
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "validate":
		return validate(args[1:], env)
	case "simulate":
		return simulate(args[1:], env)
	case "test":
		return runTests(args[1:], env)
	case "help", "--help", "-help", "-h":
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "bulwark policy: unknown command %q\n\n%s", args[0], usage)
	return ExitUsage
}

// newFlagSet returns a flag set for a subcommand that prints its usage to stderr.
func newFlagSet(name, synopsis string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet("bulwark policy "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: bulwark policy %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseInterspersed parses flags that may come before, between or after the
// positional arguments, and returns the positional arguments. "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagExit turns a flag parsing error into an exit status: 0 for --help.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitUsage
}

// stringList is a flag that may be repeated.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// readInput reads a file, or standard input for "-".
func readInput(name string, env Env) (string, error) {
	var b []byte
	var err error
	if name == "-" {
		b, err = io.ReadAll(env.Stdin)
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	return string(b), nil
}
