package iam

// URLEncode exposes urlEncode to the black-box tests.
func URLEncode(s string) string { return urlEncode(s) }
