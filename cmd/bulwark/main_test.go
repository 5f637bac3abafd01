package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCommands(t *testing.T) {
	tests := []struct {
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{args: []string{"version"}, code: 0, wantStdout: "bulwark dev"},
		{args: []string{"--help"}, code: 0, wantStdout: "bulwark serve [flags]"},
		{args: []string{"help"}, code: 0, wantStdout: "bulwark version"},
		{args: nil, code: 2, wantStderr: "Usage:"},
		{args: []string{"frobnicate"}, code: 2, wantStderr: `unknown command "frobnicate"`},
		{args: []string{"serve", "--help"}, code: 0, wantStderr: "-listen"},
		{args: []string{"serve", "--region", "moon-1"}, code: 2, wantStderr: "region"},
		{args: []string{"serve", "--nope"}, code: 2, wantStderr: "flag provided but not defined"},
		{args: []string{"-h"}, code: 0, wantStdout: "bulwark policy COMMAND"},
		{args: []string{"policy"}, code: 2, wantStderr: "bulwark policy validate"},
		{args: []string{"policy", "validate", "../../internal/policycli/testdata/example/developer.json"}, code: 0, wantStdout: "valid identity policy"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr); code != tt.code {
				t.Errorf("exit code %d, want %d (stderr %s)", code, tt.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantStdout) {
				t.Errorf("stdout %q lacks %q", stdout.String(), tt.wantStdout)
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.wantStderr)
			}
		})
	}
}
