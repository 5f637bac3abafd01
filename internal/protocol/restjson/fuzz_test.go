package restjson_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	gdapi "github.com/bulwarkhq/bulwark/internal/api/guardduty"
	"github.com/bulwarkhq/bulwark/internal/protocol/restjson"
)

func TestResolveBindsLabelsQueryAndBody(t *testing.T) {
	svc := gdapi.Service(nil)
	c := restjson.NewCodec(svc)
	tests := []struct {
		method, target, body string
		wantOp               string
		check                func(t *testing.T, in any)
	}{
		{"GET", "/detector/abc%2F1", "", "GetDetector", func(t *testing.T, in any) {
			if got := *in.(*gdapi.GetDetectorInput).DetectorId; got != "abc/1" {
				t.Errorf("DetectorId = %q", got)
			}
		}},
		{"POST", "/detector/d1/member/detector/get", `{"accountIds":["111122223333"]}`, "GetMemberDetectors", func(t *testing.T, in any) {
			x := in.(*gdapi.GetMemberDetectorsInput)
			if *x.DetectorId != "d1" || len(x.AccountIds) != 1 {
				t.Errorf("input = %+v", x)
			}
		}},
		{"GET", "/detector?maxResults=5&nextToken=t", "", "ListDetectors", func(t *testing.T, in any) {
			x := in.(*gdapi.ListDetectorsInput)
			if *x.MaxResults != 5 || *x.NextToken != "t" {
				t.Errorf("input = %+v", x)
			}
		}},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
		op, decode, err := c.Resolve(svc, r, []byte(tt.body))
		if err != nil {
			t.Fatalf("%s %s: %v", tt.method, tt.target, err)
		}
		if op.Name != tt.wantOp {
			t.Fatalf("%s %s resolved to %s, want %s", tt.method, tt.target, op.Name, tt.wantOp)
		}
		in, err := decode()
		if err != nil {
			t.Fatal(err)
		}
		tt.check(t, in)
	}
	r := httptest.NewRequest(http.MethodGet, "/detector?maxResults=five", nil)
	_, decode, err := c.Resolve(svc, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decode(); err == nil {
		t.Error("maxResults=five accepted")
	}
	r = httptest.NewRequest(http.MethodDelete, "/nowhere", nil)
	if _, _, err := c.Resolve(svc, r, nil); err == nil || !strings.Contains(err.Error(), "UnknownOperationException") {
		t.Errorf("unknown route: %v", err)
	}
}

// FuzzResolve routes arbitrary methods, paths and bodies: never a panic.
func FuzzResolve(f *testing.F) {
	f.Add("GET", "/detector/abc", "")
	f.Add("POST", "/detector/a/findings/get", `{"findingIds":["x"]}`)
	f.Add("PUT", "/detector/%zz/x", "{")
	svc := gdapi.Service(nil)
	c := restjson.NewCodec(svc)
	f.Fuzz(func(t *testing.T, method, path, body string) {
		r, err := http.NewRequest(method, "http://h"+path, strings.NewReader(body))
		if err != nil || !strings.HasPrefix(path, "/") {
			return
		}
		_, decode, err := c.Resolve(svc, r, []byte(body))
		if err != nil {
			return
		}
		if in, err := decode(); err == nil {
			_ = in.Validate()
		}
	})
}
