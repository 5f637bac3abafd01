package policycli

import (
	"fmt"

	"github.com/bulwarkhq/bulwark/policy"
)

// validate runs `bulwark policy validate`.
func validate(args []string, env Env) int {
	fs := newFlagSet("validate", "[--type KIND] [--managed] FILE...", env)
	typ := fs.String("type", "identity", "the kind of policy: "+kindNames)
	managed := fs.Bool("managed", false, "validate as a customer managed policy (Version 2012-10-17 required, 6,144-character quota)")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	kind, err := parseKind(*typ)
	if err != nil {
		fmt.Fprintln(env.Stderr, "bulwark policy validate: --type:", err)
		return ExitUsage
	}
	if len(files) == 0 {
		fmt.Fprintln(env.Stderr, "bulwark policy validate: no files (use - for standard input)")
		fs.Usage()
		return ExitUsage
	}
	opts := parseOptions(kind, *managed)
	var total findings
	invalid, unreadable := 0, 0
	for _, name := range files {
		text, err := readInput(name, env)
		if err != nil {
			fmt.Fprintln(env.Stderr, "bulwark policy validate:", err)
			unreadable++
			continue
		}
		display := name
		if name == "-" {
			display = "<stdin>"
		}
		doc, err := policy.Parse(text, kind, opts...)
		if err != nil {
			f := writeFindings(env.Stdout, display, err)
			total.errors += f.errors
			invalid++
			continue
		}
		for _, w := range doc.Warnings {
			fmt.Fprintf(env.Stdout, "%s:%d:%d: warning: %s\n", display, w.Line, w.Column, w.Message)
		}
		total.warnings += len(doc.Warnings)
		fmt.Fprintf(env.Stdout, "%s: valid %s policy (%s)\n", display, kindName(kind), plural(len(doc.Statements), "statement"))
	}
	checked := len(files) - unreadable
	fmt.Fprintf(env.Stdout, "%s checked: %d valid, %d invalid; %s, %s\n",
		plural(checked, "file"), checked-invalid, invalid, plural(total.errors, "error"), plural(total.warnings, "warning"))
	switch {
	case unreadable > 0:
		return ExitUsage
	case invalid > 0:
		return ExitFailed
	}
	return ExitOK
}
