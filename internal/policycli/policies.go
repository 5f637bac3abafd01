package policycli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bulwarkhq/bulwark/policy"
)

// kindNames lists the names the command line and test files use for policy kinds.
const kindNames = "identity, resource, trust, scp, rcp, boundary or session"

// parseKind returns the kind a name stands for.
func parseKind(name string) (policy.Kind, error) {
	switch name {
	case "identity":
		return policy.KindIdentity, nil
	case "resource":
		return policy.KindResource, nil
	case "trust":
		return policy.KindTrust, nil
	case "scp":
		return policy.KindSCP, nil
	case "rcp":
		return policy.KindRCP, nil
	case "boundary":
		return policy.KindPermissionsBoundary, nil
	case "session":
		return policy.KindSession, nil
	}
	return 0, fmt.Errorf("unknown policy type %q (want %s)", name, kindNames)
}

// kindName returns the name parseKind takes for k.
func kindName(k policy.Kind) string {
	switch k {
	case policy.KindIdentity:
		return "identity"
	case policy.KindResource:
		return "resource"
	case policy.KindTrust:
		return "trust"
	case policy.KindSCP:
		return "scp"
	case policy.KindRCP:
		return "rcp"
	case policy.KindPermissionsBoundary:
		return "boundary"
	case policy.KindSession:
		return "session"
	}
	return k.String()
}

// parseOptions returns the options that validate a document of kind k as AWS does when
// it is written: the size quota of its kind, and for --managed the rules of a customer
// managed policy. An identity policy's inline quota is per entity, so it is not checked.
func parseOptions(k policy.Kind, managed bool) []policy.Option {
	var opts []policy.Option
	if managed {
		opts = append(opts, policy.Managed())
	}
	switch k {
	case policy.KindSCP:
		opts = append(opts, policy.WithLimit(policy.LimitSCP))
	case policy.KindRCP:
		opts = append(opts, policy.WithLimit(policy.LimitRCP))
	case policy.KindTrust:
		opts = append(opts, policy.WithLimit(policy.LimitTrustPolicy))
	case policy.KindSession:
		opts = append(opts, policy.WithLimit(policy.LimitSessionPolicy))
	}
	return opts
}

// loaded is a policy ready for evaluation, with the syntax tree that locates its
// statements.
type loaded struct {
	name     string // the file name or the test file's policy name; the PolicyRef ID
	file     string // where its text was read, for positions
	doc      *policy.Document
	compiled *policy.Compiled
}

// invalidError is a policy that does not validate; err is what policy.Parse returned.
type invalidError struct {
	name string
	err  error
}

func (e *invalidError) Error() string { return e.name + ": invalid policy: " + e.err.Error() }

func (e *invalidError) Unwrap() error { return e.err }

// load parses and compiles one policy read from file.
func load(name, file, text string, kind policy.Kind) (*loaded, error) {
	doc, err := policy.Parse(text, kind, parseOptions(kind, false)...)
	if err != nil {
		return nil, &invalidError{name: file, err: err}
	}
	c, err := policy.Compile(doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &loaded{name: name, file: file, doc: doc, compiled: c}, nil
}

// findings counts what writeFindings reported.
type findings struct {
	errors, warnings int
}

// writeFindings writes one line per finding in err (from policy.Parse) as
// "name:line:column: error: Code: Message", each followed by Bulwark's detail, and
// returns how many there were. Errors that are not findings are written as they are.
func writeFindings(w io.Writer, name string, err error) findings {
	var f findings
	var verrs policy.ValidationErrors
	var verr *policy.ValidationError
	var serr *policy.SizeError
	switch {
	case errors.As(err, &verrs):
		for _, v := range verrs {
			writeFinding(w, name, v)
		}
		f.errors = len(verrs)
	case errors.As(err, &verr):
		writeFinding(w, name, verr)
		f.errors = 1
	case errors.As(err, &serr):
		fmt.Fprintf(w, "%s: error: %s: %s\n    detail: the document counts %d characters against %s, whose quota is %d\n",
			name, serr.Code, serr.Message, serr.Size, serr.Limit, serr.Max)
		f.errors = 1
	default:
		fmt.Fprintf(w, "%s: error: %v\n", name, err)
		f.errors = 1
	}
	return f
}

func writeFinding(w io.Writer, name string, v *policy.ValidationError) {
	fmt.Fprintf(w, "%s:%d:%d: error: %s: %s\n", name, v.Line, v.Column, v.Code, v.Message)
	if v.Detail != "" {
		fmt.Fprintf(w, "    detail: %s\n", v.Detail)
	}
}

// writeLoadError reports a policy that simulate or test could not load.
func writeLoadError(w io.Writer, err error) {
	var inv *invalidError
	if errors.As(err, &inv) {
		writeFindings(w, inv.name, inv.err)
		return
	}
	fmt.Fprintln(w, "bulwark policy:", err)
}

// plural returns "1 thing" or "n things".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// joinNames joins the names of a level's policies.
func joinNames(ls []*loaded) string {
	names := make([]string, len(ls))
	for i, l := range ls {
		names[i] = l.name
	}
	return strings.Join(names, ", ")
}
