// Package config holds Bulwark's typed configuration: defaults, environment variables, flags
// and validation.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"regexp"
)

// The environment variables that set configuration; flags override them.
const (
	EnvListen  = "BULWARK_LISTEN"
	EnvData    = "BULWARK_DATA"
	EnvRegion  = "BULWARK_REGION"
	EnvRootKey = "BULWARK_ROOT_KEY"
	// EnvOIDCPublicOnly, set to "1" or "true", is the default of --oidc-public-only.
	EnvOIDCPublicOnly = "BULWARK_OIDC_PUBLIC_ONLY"
)

// Defaults.
const (
	DefaultListen = "127.0.0.1:4566"
	DefaultData   = "bulwark-data"
	DefaultRegion = "us-east-1"
	// DevAccount is the account --dev seeds, with root access key "test" and secret "test".
	DevAccount = "000000000000"
)

// Config is the configuration of `bulwark serve`.
type Config struct {
	// Listen is the address the API listens on.
	Listen string
	// DataDir holds the store, the root key and the first root credentials.
	DataDir string
	// Region is the default Region.
	Region string
	// Dev seeds account 000000000000 with the root access key test/test.
	Dev bool
	// RootKey is the base64 root key from BULWARK_ROOT_KEY; empty means the key file in DataDir.
	RootKey string
	// OIDCPublicOnly refuses to fetch OpenID Connect discovery documents and keys from
	// loopback, private and shared (CGNAT) addresses, for deployments whose identity
	// providers are all on the internet. Link-local and metadata addresses are always refused.
	OIDCPublicOnly bool
}

// Bind registers the serve flags on fs with defaults taken from the environment lookup.
func (c *Config) Bind(fs *flag.FlagSet, getenv func(string) string) {
	def := func(env, fallback string) string {
		if v := getenv(env); v != "" {
			return v
		}
		return fallback
	}
	fs.StringVar(&c.Listen, "listen", def(EnvListen, DefaultListen), "address to listen on (env "+EnvListen+")")
	fs.StringVar(&c.DataDir, "data", def(EnvData, DefaultData), "data directory (env "+EnvData+")")
	fs.StringVar(&c.Region, "region", def(EnvRegion, DefaultRegion), "default AWS Region (env "+EnvRegion+")")
	fs.BoolVar(&c.Dev, "dev", false, "development mode: seed account "+DevAccount+" whose root user has access key test / secret test")
	publicOnly := getenv(EnvOIDCPublicOnly)
	fs.BoolVar(&c.OIDCPublicOnly, "oidc-public-only", publicOnly == "1" || publicOnly == "true",
		"fetch OIDC provider keys only from public addresses (env "+EnvOIDCPublicOnly+")")
	c.RootKey = getenv(EnvRootKey)
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)

// Validate checks the configuration.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("listen address %q: %w", c.Listen, err))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("the data directory must not be empty"))
	}
	if !regionPattern.MatchString(c.Region) {
		errs = append(errs, fmt.Errorf("region %q is not a Region name such as us-east-1", c.Region))
	}
	return errors.Join(errs...)
}
