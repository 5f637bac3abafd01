package iam_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
)

// TestEveryHandlerNeedsACaller calls every handler without a caller in the context: each must
// fail with an internal error (never an AWS error, never a panic) before touching the domain.
func TestEveryHandlerNeedsACaller(t *testing.T) {
	f := newFixture(t)
	v := reflect.ValueOf(f.svc)
	ctxType := reflect.TypeFor[context.Context]()
	errType := reflect.TypeFor[error]()
	n := 0
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		mt := m.Type // receiver first
		if mt.NumIn() != 3 || mt.In(1) != ctxType || mt.In(2).Kind() != reflect.Pointer || mt.NumOut() != 2 || mt.Out(1) != errType {
			continue
		}
		n++
		for name, ctx := range map[string]context.Context{
			"no caller":    context.Background(),
			"empty caller": caller.NewContext(context.Background(), &caller.Request{}),
		} {
			out := v.Method(i).Call([]reflect.Value{reflect.ValueOf(ctx), reflect.New(mt.In(2).Elem())})
			err, _ := out[1].Interface().(error)
			var ae *awserr.Error
			if err == nil || errors.As(err, &ae) {
				t.Errorf("%s with %s: err = %v, want an internal error", m.Name, name, err)
			}
			if !out[0].IsNil() {
				t.Errorf("%s with %s returned an output", m.Name, name)
			}
		}
	}
	if n < 90 {
		t.Fatalf("found %d handlers, want at least 90", n)
	}
}
