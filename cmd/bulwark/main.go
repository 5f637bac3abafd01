// Command bulwark is the AWS security plane as one binary: `bulwark serve` runs the API.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/bulwarkhq/bulwark/internal/app"
	"github.com/bulwarkhq/bulwark/internal/config"
	"github.com/bulwarkhq/bulwark/internal/policycli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `Bulwark: the AWS security plane (IAM, STS, Organizations, KMS, WAF, Shield,
GuardDuty, Inspector, Artifact), self-hosted, speaking the AWS wire protocols.

Usage:
  bulwark serve [flags]   run the API on one port (default 127.0.0.1:4566)
  bulwark policy COMMAND  validate, simulate or test IAM policies offline
  bulwark version         print the version
  bulwark help            print this help

Run 'bulwark serve --help' for the serve flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "policy":
		return policycli.Run(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "bulwark", version)
		return 0
	case "help", "--help", "-help", "-h":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "bulwark: unknown command %q\n\n%s", args[0], usage)
	return 2
}

func serve(args []string, stdout, stderr io.Writer) int {
	var cfg config.Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Bind(fs, os.Getenv)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(stderr, "bulwark:", err)
		return 2
	}
	if os.Getenv("GOGC") == "" {
		// The live heap is small and requests allocate briskly: collect less often than Go's
		// default. GOGC in the environment still wins.
		debug.SetGCPercent(400)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.Run(ctx, cfg, stdout); err != nil {
		fmt.Fprintln(stderr, "bulwark:", err)
		return 1
	}
	return 0
}
