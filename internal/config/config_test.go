package config_test

import (
	"flag"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/config"
)

func TestBindAndValidate(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		want    config.Config
		wantErr bool
	}{
		{name: "defaults", want: config.Config{Listen: "127.0.0.1:4566", DataDir: "bulwark-data", Region: "us-east-1"}},
		{name: "environment", env: map[string]string{"BULWARK_LISTEN": "0.0.0.0:9000", "BULWARK_DATA": "/var/lib/b", "BULWARK_REGION": "eu-west-1"},
			want: config.Config{Listen: "0.0.0.0:9000", DataDir: "/var/lib/b", Region: "eu-west-1"}},
		{name: "flags beat environment", env: map[string]string{"BULWARK_LISTEN": "0.0.0.0:9000"}, args: []string{"--listen", ":1234", "--dev"},
			want: config.Config{Listen: ":1234", DataDir: "bulwark-data", Region: "us-east-1", Dev: true}},
		{name: "OIDC public only from the environment", env: map[string]string{"BULWARK_OIDC_PUBLIC_ONLY": "true"},
			want: config.Config{Listen: "127.0.0.1:4566", DataDir: "bulwark-data", Region: "us-east-1", OIDCPublicOnly: true}},
		{name: "OIDC public only by flag", args: []string{"--oidc-public-only"},
			want: config.Config{Listen: "127.0.0.1:4566", DataDir: "bulwark-data", Region: "us-east-1", OIDCPublicOnly: true}},
		{name: "bad listen", args: []string{"--listen", "nope"}, wantErr: true},
		{name: "bad region", args: []string{"--region", "mars"}, wantErr: true},
		{name: "empty data", args: []string{"--data", ""}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c config.Config
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			c.Bind(fs, func(k string) string { return tt.env[k] })
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			err := c.Validate()
			if (err != nil) != tt.wantErr {
				t.Fatalf("Validate() = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && c != tt.want {
				t.Errorf("config = %+v, want %+v", c, tt.want)
			}
		})
	}
}
