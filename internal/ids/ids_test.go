package ids_test

import (
	"regexp"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/ids"
)

func TestFormats(t *testing.T) {
	tests := []struct {
		name string
		gen  func() string
		re   string
	}{
		{"user", ids.UserID, `^AIDA[A-Z2-7]{17}$`},
		{"group", ids.GroupID, `^AGPA[A-Z2-7]{17}$`},
		{"role", ids.RoleID, `^AROA[A-Z2-7]{17}$`},
		{"policy", ids.PolicyID, `^ANPA[A-Z2-7]{17}$`},
		{"instance profile", ids.InstanceProfileID, `^AIPA[A-Z2-7]{17}$`},
		{"access key", ids.AccessKeyID, `^AKIA[A-Z2-7]{16}$`},
		{"temporary key", ids.TemporaryAccessKeyID, `^ASIA[A-Z2-7]{16}$`},
		{"secret", ids.SecretAccessKey, `^[A-Za-z0-9+/]{40}$`},
		{"account", ids.AccountID, `^[1-9][0-9]{11}$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re := regexp.MustCompile(tt.re)
			seen := map[string]bool{}
			for range 200 {
				v := tt.gen()
				if !re.MatchString(v) {
					t.Fatalf("%q does not match %s", v, tt.re)
				}
				if seen[v] && tt.name != "account" {
					t.Fatalf("duplicate %q", v)
				}
				seen[v] = true
			}
		})
	}
}

func TestPredicates(t *testing.T) {
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"account ok", ids.IsAccountID("123456789012"), true},
		{"account short", ids.IsAccountID("12345678901"), false},
		{"account letters", ids.IsAccountID("12345678901a"), false},
		{"akid ok", ids.IsAccessKeyID("AKIAIOSFODNN7EXAMPLE"), true},
		{"asia ok", ids.IsAccessKeyID(ids.TemporaryAccessKeyID()), true},
		{"akid lower", ids.IsAccessKeyID("AKIAiosfodnn7example"), false},
		{"akid prefix", ids.IsAccessKeyID("ABCDIOSFODNN7EXAMPLE"), false},
		{"akid test", ids.IsAccessKeyID("test"), false},
		{"unique ok", ids.IsUniqueID(ids.UserID(), ids.PrefixUser), true},
		{"unique wrong prefix", ids.IsUniqueID(ids.RoleID(), ids.PrefixUser), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
