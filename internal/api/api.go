// Package api holds the Go code generated from the pinned AWS API models: one sub-package per
// service with its shapes, codecs and operation table. Run go generate here to rebuild it.
package api

//go:generate go run ../gen -models ../gen/models -out .
