package arch_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/bulwarkhq/bulwark/"

// imports returns, for every package of the module, the module packages it imports directly.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(f[0], module)
		m[pkg] = nil
		for _, imp := range f[1:] {
			if strings.HasPrefix(imp, module) {
				m[pkg] = append(m[pkg], strings.TrimPrefix(imp, module))
			}
		}
	}
	return m
}

func TestImportRules(t *testing.T) {
	all := imports(t)
	if len(all) < 20 {
		t.Fatalf("go list found only %d packages", len(all))
	}
	rules := []struct {
		name    string
		applies func(pkg string) bool
		allowed func(pkg, imp string) bool
	}{
		{"policy is public and imports nothing of ours",
			func(p string) bool { return p == "policy" }, func(_, _ string) bool { return false }},
		{"leaf packages import nothing of ours",
			func(p string) bool {
				return p == "internal/awserr" || p == "internal/ids" || p == "internal/ptr" || p == "internal/caller" || p == "internal/totp"
			},
			func(_, _ string) bool { return false }},
		{"internal/arn imports only leaves",
			func(p string) bool { return p == "internal/arn" }, func(_, imp string) bool { return imp == "internal/awserr" }},
		{"storage drivers import only storage",
			func(p string) bool {
				return strings.HasPrefix(p, "internal/storage/") && p != "internal/storage/storagetest"
			},
			func(_, imp string) bool { return imp == "internal/storage" }},
		{"protocol never imports services or the domain",
			func(p string) bool { return strings.HasPrefix(p, "internal/protocol") },
			func(_, imp string) bool {
				return strings.HasPrefix(imp, "internal/protocol") || imp == "internal/awserr"
			}},
		{"no service imports another service",
			func(p string) bool { return strings.HasPrefix(p, "internal/service/") },
			func(p, imp string) bool {
				if strings.HasPrefix(imp, "internal/service/") {
					return false
				}
				if strings.HasPrefix(imp, "internal/api/") {
					return imp == "internal/api/"+strings.TrimPrefix(p, "internal/service/")
				}
				return true
			}},
		{"generated API packages import only protocol and awserr",
			func(p string) bool { return strings.HasPrefix(p, "internal/api/") },
			func(_, imp string) bool {
				return strings.HasPrefix(imp, "internal/protocol") || imp == "internal/awserr"
			}},
	}
	for _, r := range rules {
		checked := 0
		for pkg, imps := range all {
			if !r.applies(pkg) {
				continue
			}
			checked++
			for _, imp := range imps {
				if !r.allowed(pkg, imp) {
					t.Errorf("%s: %s imports %s", r.name, pkg, imp)
				}
			}
		}
		if checked == 0 {
			t.Errorf("rule %q matched no package", r.name)
		}
	}
}
