//go:build !unix

package audit_test

// processCPU is not measured on this platform.
func processCPU() int64 { return -1 }
