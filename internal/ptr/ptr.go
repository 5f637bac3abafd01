// Package ptr converts between values and the pointers the generated API shapes use for
// optional members.
package ptr

// Of returns a pointer to v.
func Of[T any](v T) *T { return &v }

// Value returns *p, or the zero value when p is nil.
func Value[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
