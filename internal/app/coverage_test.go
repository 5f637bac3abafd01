package app_test

import (
	"bytes"
	"flag"
	"os"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/app"
	"github.com/bulwarkhq/bulwark/internal/audit"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
)

var update = flag.Bool("update", false, "rewrite docs/coverage.md")

func TestCoverageDocIsCurrent(t *testing.T) {
	store := memory.New()
	services := app.Services(iam.New(store, time.Now, nil), audit.New(store, audit.Options{}), nil, nil)
	got := app.CoverageMarkdown(services)
	const path = "../../docs/coverage.md"
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("docs/coverage.md is stale; run go generate ./internal/app")
	}
}

func TestEveryOperationRoutesAndUnbuiltOnesAnswerNotImplemented(t *testing.T) {
	store := memory.New()
	services := app.Services(iam.New(store, time.Now, nil), audit.New(store, audit.Options{}), nil, nil)
	ops := 0
	for _, s := range services {
		for _, op := range s.Operations {
			ops++
			if op.Invoke == nil || op.NewInput == nil {
				t.Fatalf("%s %s has no invoker", s.ID, op.Name)
			}
			if op.Implemented {
				continue
			}
			_, err := op.Invoke(t.Context(), op.NewInput())
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte("NotImplemented")) {
				t.Errorf("%s %s: err = %v, want NotImplemented", s.ID, op.Name, err)
			}
		}
	}
	if ops < 500 {
		t.Errorf("only %d operations route, want every operation of the 11 models", ops)
	}
}
