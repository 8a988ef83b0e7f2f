package channel

import (
	"io"

	"github.com/wsgo/wsgo/errors"
)

// startLimit bounds what a streamed reader may pull from its source before
// the envelope's start (envelope, headers, Body start tag) has been read,
// so that a stream of headers cannot hold more memory than
// MaxStreamedStartSize allows (plus the reader's read-ahead window). Once
// the start is read, done lifts the bound.
type startLimit struct {
	r     io.Reader
	n     int64
	limit int64
	done  bool
}

// startSlack is the read-ahead a streamed reader may have beyond the start.
const startSlack = 8192

func newStartLimit(r io.Reader, maxStart int64) *startLimit {
	return &startLimit{r: r, limit: maxStart + startSlack}
}

func (s *startLimit) Read(p []byte) (int, error) {
	if !s.done {
		if s.n >= s.limit {
			return 0, errors.Quotaf("MaxStreamedStartSize",
				"the envelope's start and headers are larger than the MaxStreamedStartSize of %d bytes", s.limit-startSlack)
		}
		if room := s.limit - s.n; int64(len(p)) > room {
			p = p[:room]
		}
	}
	n, err := s.r.Read(p)
	s.n += int64(n)
	return n, err
}
