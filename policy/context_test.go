package policy

import (
	"fmt"
	"strings"
	"testing"
)

func TestContextKeys(t *testing.T) {
	var c Context
	c.Add("aws:PrincipalTag/Team", "red")
	c.Add("aws:principaltag/team", "blue") // the same key: replaces
	c.Add("aws:PrincipalTag/Équipe", "verte")
	c.AddMulti("aws:TagKeys", "a", "b")
	c.Add("aws:Empty")
	tests := []struct {
		key  string
		want []string
		ok   bool
	}{
		{"AWS:PRINCIPALTAG/TEAM", []string{"blue"}, true},
		{"aws:principaltag/équipe", []string{"verte"}, true},
		{"aws:PrincipalTag/ÉQUIPE", []string{"verte"}, true},
		{"aws:tagkeys", []string{"a", "b"}, true},
		{"aws:empty", []string{}, true},
		{"aws:missing", nil, false},
	}
	for _, tc := range tests {
		got, ok := c.Get(tc.key)
		if ok != tc.ok || strings.Join(got, ",") != strings.Join(tc.want, ",") || (ok && got == nil) {
			t.Errorf("Get(%q) = %q, %v; want %q, %v", tc.key, got, ok, tc.want, tc.ok)
		}
	}
	if c.Len() != 4 {
		t.Errorf("Len = %d, want 4", c.Len())
	}
}

func TestContextManyKeysAndReuse(t *testing.T) {
	var c Context
	for round := range 3 {
		c.Reset()
		for i := range 2000 {
			c.Add(fmt.Sprintf("svc:Key%d", i), fmt.Sprint(i+round))
		}
		for i := range 2000 {
			got, ok := c.Get(fmt.Sprintf("SVC:KEY%d", i))
			if !ok || len(got) != 1 || got[0] != fmt.Sprint(i+round) {
				t.Fatalf("round %d key %d: %q %v", round, i, got, ok)
			}
		}
		if c.Len() != 2000 {
			t.Fatalf("Len = %d", c.Len())
		}
	}
	// Global keys and lower-case names cost nothing; other names are lower-cased once.
	keys := []string{"aws:SourceIp", "aws:username", "aws:principaltag/team", "aws:RequestedRegion"}
	allocs := testing.AllocsPerRun(100, func() {
		c.Reset()
		for _, k := range keys {
			c.Add(k, "v")
		}
		c.AddBool("aws:SecureTransport", true)
	})
	if allocs != 0 {
		t.Errorf("rebuilding a reset Context allocates %v times", allocs)
	}
}
