package actions

import (
	"testing"

	"github.com/bulwarkhq/bulwark/internal/api"
)

// TestOverrides keeps the override table honest: each entry names a real operation that has
// no action of its own name, and every action it lists exists.
func TestOverrides(t *testing.T) {
	ops := map[string]bool{}
	for _, s := range api.Services(func(string) any { return nil }) {
		for _, op := range s.Operations {
			ops[s.SigningName+":"+op.Name] = true
		}
	}
	for _, o := range overrides() {
		id := o.signingName + ":" + o.operation
		if !ops[id] {
			t.Errorf("override %s: no such operation in internal/api", id)
		}
		prefix, ok := prefixOf(o.signingName)
		if !ok {
			t.Errorf("override %s: signing name not served", id)
			continue
		}
		if a, ok := find(prefix, o.operation); ok {
			t.Errorf("override %s: the reference now has %s; is the override still right?", id, a)
		}
		if o.actions[0] == "" {
			t.Errorf("override %s: no actions", id)
		}
		for _, name := range o.actions {
			if _, ok := Lookup(name); name != "" && !ok {
				t.Errorf("override %s: unknown action %s", id, name)
			}
		}
	}
}
