package audit

import "encoding/binary"

// Word-at-a-time scanning for the JSON string hot paths: eight bytes are tested at once for the
// bytes that need attention, and the lowest flagged byte is exact (borrows only ever flag bytes
// above a real match).

const (
	lsbs = 0x0101010101010101
	msbs = 0x8080808080808080
)

// jsonSpecial flags the bytes of w that are control characters (< 0x20), '"' or '\\'.
func jsonSpecial(w uint64) uint64 {
	ctl := (w - lsbs*0x20) &^ w & msbs
	q := w ^ (lsbs * '"')
	q = (q - lsbs) &^ q & msbs
	bs := w ^ (lsbs * '\\')
	bs = (bs - lsbs) &^ bs & msbs
	return ctl | q | bs
}

// load64s reads eight bytes of s at i, little endian; the caller checks i+8 <= len(s).
func load64s(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// load64b reads eight bytes of b at i, little endian; the caller checks i+8 <= len(b).
func load64b(b []byte, i int) uint64 {
	return binary.LittleEndian.Uint64(b[i:])
}
