package channel

import (
	"bytes"
	"io"
	"sync"
	"sync/atomic"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// sendBuffer is the outgoing envelope of one exchange: a pooled buffer
// (buffered mode) or a pipe fed by a writer goroutine (streamed output).
type sendBuffer struct {
	// buffered
	buf  []byte
	w    *xmlio.Writer
	refs atomic.Int32 // the exchange's reference plus one per open body reader

	// streamed
	pipe *io.PipeReader
	done chan struct{}
	err  error // the writer's error, valid after done
}

var sendBufferPool = sync.Pool{New: func() any {
	return &sendBuffer{w: xmlio.NewBufferWriter(make([]byte, 0, 4096))}
}}

// encodeBuffered writes the whole envelope into a pooled buffer.
func encodeBuffered(m *message.Message, body any, limit int64) (*sendBuffer, error) {
	sb := sendBufferPool.Get().(*sendBuffer)
	sb.w.Reset(nil)
	err := writeMessage(m, sb.w, body)
	if err == nil {
		err = sb.w.Err()
	}
	if err == nil && int64(len(sb.w.Bytes())) > limit {
		err = errors.Quotaf("MaxBufferedMessageSize",
			"the request envelope is %d bytes, over the channel's MaxBufferedMessageSize of %d; raise it with WithMaxBufferedMessageSize or use WithTransferMode(StreamedOutput)",
			len(sb.w.Bytes()), limit)
	}
	if err != nil {
		sb.w.Reset(nil)
		sendBufferPool.Put(sb)
		return nil, err
	}
	sb.buf = sb.w.Bytes()
	sb.refs.Store(1)
	return sb, nil
}

// writeMessage writes an Initialized message with body to w.
func writeMessage(m *message.Message, w *xmlio.Writer, body any) error {
	if err := m.WriteStart(w); err != nil {
		return err
	}
	if err := writeBody(m, body); err != nil {
		return err
	}
	return m.WriteEnd()
}

func (sb *sendBuffer) bytes() []byte { return sb.buf }

// body returns a reader of the envelope that holds a reference to the
// buffer until the transport closes it.
func (sb *sendBuffer) body() io.ReadCloser {
	sb.refs.Add(1)
	return &bufferBody{Reader: bytes.NewReader(sb.buf), sb: sb}
}

// getBody is http.Request.GetBody: the transport calls it to resend the
// request (on a stale keep-alive connection, for a redirect).
func (sb *sendBuffer) getBody() (io.ReadCloser, error) { return sb.body(), nil }

func (sb *sendBuffer) unref() {
	if sb.refs.Add(-1) == 0 {
		sb.buf = nil
		if cap(sb.w.Bytes()) <= 1<<20 { // do not pool huge buffers
			sb.w.Reset(nil)
			sendBufferPool.Put(sb)
		}
	}
}

// finish ends the exchange's use of the buffer: a buffered one goes back
// to the pool once the transport has closed every reader of it; a streamed
// writer is stopped (if the server answered before reading everything) and
// waited for, so that no goroutine outlives the exchange.
func (sb *sendBuffer) finish() {
	if sb.pipe != nil {
		sb.pipe.CloseWithError(errStopped)
		<-sb.done
		return
	}
	sb.unref()
}

// bufferBody is one reader of a send buffer.
type bufferBody struct {
	*bytes.Reader
	sb   *sendBuffer
	once sync.Once
}

func (b *bufferBody) Close() error {
	b.once.Do(b.sb.unref)
	return nil
}

// errStopped ends a streamed writer whose reader is gone.
var errStopped = errors.New("the request body was no longer being read")

// startStreamedSend starts a goroutine writing the envelope into a pipe
// that the HTTP transport reads as the chunked request body; memory stays
// at the writer's buffer whatever the body's size.
func startStreamedSend(m *message.Message, body any, limit int64) *sendBuffer {
	pr, pw := io.Pipe()
	sb := &sendBuffer{pipe: pr, done: make(chan struct{})}
	go func() {
		defer close(sb.done)
		cw := &limitWriter{w: pw, limit: limit}
		w := xmlio.NewWriter(cw)
		err := writeMessage(m, w, body)
		if ferr := w.Flush(); err == nil {
			err = ferr
		}
		if cw.err != nil { // the quota, rather than the writer's wrapping of it
			err = cw.err
		}
		if err != nil && err != errStopped && !isPipeClosed(err) {
			sb.err = err
		}
		pw.CloseWithError(err) // nil: EOF for the reader
	}()
	return sb
}

func isPipeClosed(err error) bool {
	return errors.Is(err, io.ErrClosedPipe) || errors.Is(err, errStopped)
}

// limitWriter fails with QuotaExceeded once more than limit bytes pass.
type limitWriter struct {
	w     io.Writer
	n     int64
	limit int64
	err   error
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.n+int64(len(p)) > l.limit {
		l.err = errors.Quotaf("MaxStreamedMessageSize",
			"the request envelope grew past the channel's MaxStreamedMessageSize of %d bytes; raise it with WithMaxStreamedMessageSize", l.limit)
		return 0, l.err
	}
	n, err := l.w.Write(p)
	l.n += int64(n)
	return n, err
}
