// Command gen reads the pinned AWS API models (botocore "min" format, from the npm package
// aws-sdk) and writes, per service, a Go package with the shapes, their codecs for the
// service's protocol, and the operation table. It runs from go generate in internal/api.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// packages maps each model file's service prefix to the Go package that holds it.
var packages = map[string]string{
	"iam": "iam", "sts": "sts", "organizations": "organizations", "kms": "kms", "wafv2": "wafv2",
	"shield": "shield", "guardduty": "guardduty", "inspector2": "inspector2", "artifact": "artifact",
	"cloudtrail": "cloudtrail", "ce": "costexplorer",
}

func main() {
	models := flag.String("models", "../gen/models", "directory of *.min.json models")
	out := flag.String("out", ".", "output directory (internal/api)")
	flag.Parse()
	if err := run(*models, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(modelDir, outDir string) error {
	files, err := filepath.Glob(filepath.Join(modelDir, "*.min.json"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	var pkgs []string
	for _, f := range files {
		prefix := strings.SplitN(filepath.Base(f), "-", 2)[0]
		pkg, ok := packages[prefix]
		if !ok {
			return fmt.Errorf("%s: no package for service %q", f, prefix)
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		m, err := loadModel(data)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if err := writeService(m, pkg, filepath.Join(outDir, pkg)); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		pkgs = append(pkgs, pkg)
	}
	return writeAll(pkgs, outDir)
}

func writeService(m *Model, pkg, dir string) error {
	nameShapes(m)
	all, fromInput, fromOutput := structures(m)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	write := func(name string, g *gen) error {
		src, err := g.source()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return os.WriteFile(filepath.Join(dir, name), src, 0o644)
	}

	g := &gen{m: m}
	g.emitTypes(pkg, all, fromInput)
	if err := write("shapes_gen.go", g); err != nil {
		return err
	}

	g = &gen{m: m}
	g.emitOperations(pkg)
	if err := write("operations_gen.go", g); err != nil {
		return err
	}

	g = &gen{m: m}
	g.p(header+"package %s", pkg)
	switch m.Protocol {
	case "query":
		g.p(`import (
			"github.com/bulwarkhq/bulwark/internal/protocol/awsquery"
			"github.com/bulwarkhq/bulwark/internal/protocol/jsonv"
		)`)
		g.p("var _ = jsonv.SortedKeys[int]")
		for _, s := range all {
			if fromInput[s] {
				g.emitDecodeQuery(s)
			}
			if fromOutput[s] {
				g.emitEncodeXML(s)
			}
		}
	case "json":
		g.p(`import "github.com/bulwarkhq/bulwark/internal/protocol/jsonv"`)
		for _, s := range all {
			if fromInput[s] {
				g.emitDecodeJSON(s, false)
			}
		}
	case "rest-json":
		g.p(`import (
			"net/http"
			"strconv"

			"github.com/bulwarkhq/bulwark/internal/protocol/jsonv"
			"github.com/bulwarkhq/bulwark/internal/protocol/restjson"
		)`)
		g.p("var _ = http.TimeFormat")
		g.p("var _ = strconv.Itoa")
		tops := map[*Shape]bool{}
		for _, op := range m.Ops {
			tops[op.Input] = true
		}
		for _, s := range all {
			if fromInput[s] {
				g.emitDecodeJSON(s, tops[s])
			}
		}
		for _, op := range m.Ops {
			if err := g.emitDecodeREST(op.Input); err != nil {
				return err
			}
			if err := g.emitEncodeREST(op.Output); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("unsupported protocol %q", m.Protocol)
	}
	return write("codec_gen.go", g)
}

func writeAll(pkgs []string, outDir string) error {
	g := &gen{}
	g.p(header + "package api")
	g.p("import (")
	g.p(`"github.com/bulwarkhq/bulwark/internal/protocol"`)
	for _, p := range pkgs {
		g.p("%q", "github.com/bulwarkhq/bulwark/internal/api/"+p)
	}
	g.p(")")
	g.p("// Services returns every service's description, each bound to the implementation impl")
	g.p("// returns for its endpoint prefix (nil when Bulwark has none yet).")
	g.p("func Services(impl func(endpointPrefix string) any) []*protocol.Service {")
	g.p("return []*protocol.Service{")
	for _, p := range pkgs {
		g.p("%s.Service(impl(%q)),", p, prefixOf(p))
	}
	g.p("}")
	g.p("}")
	src, err := g.source()
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, "services_gen.go"), src, 0o644)
}

func prefixOf(pkg string) string {
	for k, v := range packages {
		if v == pkg {
			return k
		}
	}
	return pkg
}
