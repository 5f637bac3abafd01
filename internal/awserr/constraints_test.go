package awserr_test

import (
	"net/http"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/awserr"
)

func TestConstraints(t *testing.T) {
	tests := []struct {
		failures []string
		want     string
	}{
		{[]string{"Value 'x' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2"},
			"1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{[]string{"a", "b"}, "2 validation errors detected: a; b"},
	}
	for _, tc := range tests {
		e := awserr.Constraints("ValidationError", tc.failures)
		if e == nil || e.Code != "ValidationError" || e.Status != http.StatusBadRequest || e.Message != tc.want {
			t.Errorf("Constraints(%q) = %+v, want %q", tc.failures, e, tc.want)
		}
	}
	if e := awserr.Constraints("ValidationException", nil); e != nil {
		t.Errorf("no failures: %+v", e)
	}
}
