// Package policybench compares Bulwark's IAM policy engine with cedar-go and OPA (prepared
// Rego) on the same policies and requests. It is a separate module so that the product's
// go.mod does not depend on either. Everything is in the _test.go files; see README.md.
package policybench
