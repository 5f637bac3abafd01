package actions_test

import (
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/actions"
)

func mapVars(m map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := m[name]
		return v, ok
	}
}

func TestBind(t *testing.T) {
	vars := mapVars(map[string]string{
		"Partition": "aws", "Account": "123456789012", "Region": "us-east-1",
		"UserNameWithPath": "division/alice", "KeyId": "1234abcd", "Empty": "", "Dollar": "${Account}",
	})
	tests := []struct {
		name, template, want string
		ok                   bool
	}{
		{"iam user", "arn:${Partition}:iam::${Account}:user/${UserNameWithPath}", "arn:aws:iam::123456789012:user/division/alice", true},
		{"kms key", "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}", "arn:aws:kms:us-east-1:123456789012:key/1234abcd", true},
		{"no variables", "arn:aws:artifact:::agreement/*", "arn:aws:artifact:::agreement/*", true},
		{"empty template", "", "", true},
		{"empty value", "a${Empty}b", "ab", true},
		{"value not re-scanned", "x/${Dollar}", "x/${Account}", true},
		{"adjacent", "${Partition}${Region}", "awsus-east-1", true},
		{"unresolved", "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", "", false},
		{"unterminated", "arn:${Partition", "", false},
		{"empty name", "a${}b", "", false},
		{"bad name", "a${Par-tition}b", "", false},
		{"nested", "${${Partition}}", "", false},
		{"lone dollar and braces", "a$b{c}$", "a$b{c}$", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := actions.Bind(tt.template, vars)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Bind(%q) = %q, %v; want %q, %v", tt.template, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestBindCatalogue binds every ARN template of the catalogue.
func TestBindCatalogue(t *testing.T) {
	for a := range actions.All() {
		for _, r := range a.Resources {
			for _, tmpl := range r.Type.ARNs {
				got, ok := actions.Bind(tmpl, func(string) (string, bool) { return "v", true })
				if !ok || strings.Contains(got, "${") || !strings.HasPrefix(got, "arn:v:") {
					t.Errorf("%s: Bind(%q) = %q, %v", a, tmpl, got, ok)
				}
			}
		}
	}
}

func TestBindNoAllocWithoutVariables(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		actions.Bind("arn:aws:artifact:::agreement/*", nil)
	}); n != 0 {
		t.Errorf("Bind allocates %v times on a template without variables", n)
	}
}

// FuzzBind checks, for any template: Bind never panics; binding each variable to itself
// ("${Name}") gives the template back exactly when the template is well formed; and binding
// every variable to "" removes all of them.
func FuzzBind(f *testing.F) {
	for _, s := range []string{
		"arn:${Partition}:iam::${Account}:user/${UserNameWithPath}", "", "${", "${}", "${a", "$${a}}", "a${b}c${d_1}",
		"arn:${Partition}:organizations::${Account}:ou/o-${OrganizationId}/ou-${OrganizationalUnitId}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, template string) {
		self, ok := actions.Bind(template, func(name string) (string, bool) { return "${" + name + "}", true })
		if ok && self != template {
			t.Fatalf("self-binding %q gave %q", template, self)
		}
		empty, ok2 := actions.Bind(template, func(string) (string, bool) { return "", true })
		if ok != ok2 {
			t.Fatalf("Bind(%q) well-formedness differs between resolvers: %v, %v", template, ok, ok2)
		}
		if ok2 && len(empty) > len(template) {
			t.Fatalf("empty-binding %q grew it to %q", template, empty)
		}
		if _, ok3 := actions.Bind(template, func(string) (string, bool) { return "", false }); ok3 && strings.Contains(template, "${") {
			t.Fatalf("Bind(%q) succeeded with a resolver that knows nothing", template)
		}
	})
}
