package policy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bulwarkhq/bulwark/policy"
)

// FuzzParse checks that Parse never panics, gives the same answer twice, and that an
// accepted document means the same once its white space is removed.
func FuzzParse(f *testing.F) {
	for _, tc := range rejectCases {
		f.Add(tc.doc, uint8(tc.kind))
	}
	for _, tc := range acceptCases {
		f.Add(tc.doc, uint8(tc.kind))
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "aws-examples", "*", "*.json"))
	for _, name := range files {
		if text, err := os.ReadFile(name); err == nil {
			f.Add(string(text), uint8(0))
			f.Add(string(text), uint8(2))
		}
	}
	f.Fuzz(func(t *testing.T, text string, k uint8) {
		kind := policy.Kind(k%7 + 1)
		d1, err1 := policy.Parse(text, kind)
		d2, err2 := policy.Parse(text, kind)
		if !reflect.DeepEqual(d1, d2) || !reflect.DeepEqual(err1, err2) {
			t.Fatalf("two parses differ:\n%+v %v\n%+v %v", d1, err1, d2, err2)
		}
		if (d1 == nil) == (err1 == nil) {
			t.Fatalf("Parse returned document %v and error %v", d1 != nil, err1)
		}
		if err1 != nil {
			var verr *policy.ValidationError
			if !errors.As(err1, &verr) || verr.Message == "" || verr.Code == "" || verr.Line < 1 || verr.Column < 1 {
				t.Fatalf("error without code, message or position: %#v", err1)
			}
			return
		}
		if len(d1.Statements) == 0 {
			t.Fatal("accepted a document without statements")
		}
		for _, s := range d1.Statements {
			if s.Effect != policy.Allow && s.Effect != policy.Deny || len(s.Action.Values) == 0 {
				t.Fatalf("accepted statement without effect or actions: %+v", s)
			}
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(text)); err != nil {
			t.Fatalf("accepted a document encoding/json rejects: %v", err)
		}
		d3, err := policy.Parse(compact.String(), kind)
		if err != nil {
			t.Fatalf("compacted document rejected: %v\n%s", err, compact.String())
		}
		if a, b := withoutPositions(d1), withoutPositions(d3); !reflect.DeepEqual(a, b) {
			t.Fatalf("compacted document parses differently:\n%+v\n%+v", a, b)
		}
	})
}

// withoutPositions copies a document with its text and every position cleared.
func withoutPositions(d *policy.Document) *policy.Document {
	c := *d
	c.Text = ""
	v := reflect.ValueOf(&c).Elem()
	clearPositions(v)
	return &c
}

func clearPositions(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(policy.Pos{}) {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		if v.Type() == reflect.TypeOf(policy.Warning{}) {
			v.FieldByName("Line").SetInt(0)
			v.FieldByName("Column").SetInt(0)
			return
		}
		for i := 0; i < v.NumField(); i++ {
			clearPositions(v.Field(i))
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		cp := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(cp, v)
		v.Set(cp)
		for i := 0; i < v.Len(); i++ {
			clearPositions(v.Index(i))
		}
	}
}
