// Package arch holds the architecture test: the import rules of docs/ARCHITECTURE.md,
// checked with go list.
package arch
