package protocol

import (
	"context"
	"strconv"
	"strings"

	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// Validator collects the required members an input lacks, with their paths, and reports them
// as AWS does: "1 validation error detected: Value null at 'userName' failed to satisfy
// constraint: Member must not be null".
type Validator struct {
	path    []string
	missing []string
}

// Push enters the member name.
func (v *Validator) Push(name string) { v.path = append(v.path, name) }

// PushIndex enters the i-th (0-based) item of the list member name.
func (v *Validator) PushIndex(name string, i int) {
	v.path = append(v.path, name+"."+strconv.Itoa(i+1)+".member")
}

// Pop leaves the last entered member.
func (v *Validator) Pop() { v.path = v.path[:len(v.path)-1] }

// Missing records that the required member name is absent.
func (v *Validator) Missing(name string) {
	if len(v.path) == 0 {
		v.missing = append(v.missing, name)
		return
	}
	v.missing = append(v.missing, strings.Join(v.path, ".")+"."+name)
}

// Err returns nil, or an error with the code listing every missing member.
func (v *Validator) Err(code string) error {
	if len(v.missing) == 0 {
		return nil
	}
	failures := make([]string, len(v.missing))
	for i, m := range v.missing {
		failures[i] = "Value null at '" + m + "' failed to satisfy constraint: Member must not be null"
	}
	return awserr.Constraints(code, failures)
}

// NotImplemented returns the invoker of an operation Bulwark has not built yet.
func NotImplemented(service, operation string) Invoker {
	return func(context.Context, Input) (Output, error) {
		return nil, awserr.NotImplemented(service, operation)
	}
}
