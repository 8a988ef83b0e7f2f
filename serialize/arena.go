package serialize

import "unsafe"

// arena hands out the strings of one Unmarshal call from a few large
// chunks instead of one allocation per string. Bytes are only ever appended
// within a chunk's capacity, and a full chunk is replaced by a new one (never
// grown in place), so memory a string points at is never written again.
// The price: a chunk stays alive while any string cut from it does.
type arena struct {
	buf  []byte
	next int // size of the next chunk
}

const (
	arenaMinChunk = 512
	arenaMaxChunk = 64 << 10
)

// reset prepares the arena for a document of about docLen bytes (0 if not
// known); no memory is allocated until the first string.
func (a *arena) reset(docLen int) {
	a.buf = nil
	a.next = min(max(docLen/4, arenaMinChunk), arenaMaxChunk)
}

// string returns a string with the contents of b.
func (a *arena) string(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	if n > cap(a.buf)-len(a.buf) {
		if n > a.next/2 {
			return string(b) // large strings get their own allocation
		}
		a.buf = make([]byte, 0, a.next)
		a.next = min(a.next*2, arenaMaxChunk)
	}
	start := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[start], n)
}
