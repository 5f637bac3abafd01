package policy

import "strconv"

// Pos is a place in the policy text. Line and Column count from 1; Column counts bytes
// from the start of the line. The zero Pos means "absent": an element that the document
// does not contain has the zero Pos.
type Pos struct {
	// Offset is the byte offset from the start of the document.
	Offset int
	// Line is the 1-based line number.
	Line int
	// Column is the 1-based byte column within the line.
	Column int
}

// IsValid reports whether p points into a document (the zero Pos does not).
func (p Pos) IsValid() bool { return p.Line > 0 }

// String returns "line:column", or "-" for the zero Pos.
func (p Pos) String() string {
	if !p.IsValid() {
		return "-"
	}
	return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
}
