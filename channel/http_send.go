package channel

import (
	"bytes"
	"context"
	"io"
	"sync"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// sendBuffer is the outgoing envelope of one exchange: the bytes of a
// buffered envelope, or a pipe fed by a writer goroutine (streamed output).
type sendBuffer struct {
	// buffered
	buf    []byte
	reader bytes.Reader // the first body's reader (body)

	// streamed
	pipe *io.PipeReader
	done chan struct{}
	err  error // the writer's error, valid after done
}

// encodeWriters are pooled buffer writers for encoding envelopes.
var encodeWriters = sync.Pool{New: func() any { return xmlio.NewBufferWriter(make([]byte, 0, 4096)) }}

// encodeBuffered writes the whole envelope into a pooled writer and returns
// a copy of exactly its size. The copy is what the HTTP transport reads:
// the transport may go on reading a request body after the exchange has
// returned (the server answered early), so only the garbage collector
// knows when the bytes are free, and a plain byte slice behind a
// bytes.Reader lets net/http send the headers and a small body in one write.
func encodeBuffered(m *message.Message, body any, limit int64) ([]byte, error) {
	return encodeSecured(context.Background(), m, body, limit, nil)
}

// encodeRequest writes a buffered request envelope, secured when the
// channel has message security, into the exchange's send buffer.
func (x *exchange) encodeRequest(req *message.Message, body any) (*sendBuffer, error) {
	c := x.c
	var (
		env []byte
		err error
	)
	switch {
	case c.cfg.messageSecurity == nil:
		env, err = encodeBuffered(req, body, c.cfg.maxBuffered)
	case c.cfg.transfer&StreamedOutput != 0:
		err = securedStreaming(c.cfg.transfer)
	default:
		env, err = encodeSecured(x.ctx, req, body, c.cfg.maxBuffered, c.cfg.messageSecurity)
	}
	if err != nil {
		return nil, err
	}
	x.sendBuf.buf = env
	return &x.sendBuf, nil
}

// encodePooled writes the whole envelope into a pooled writer, which the
// caller gives back with releaseWriter once done with its bytes; limit
// bounds the envelope.
func encodePooled(m *message.Message, body any, limit int64) (*xmlio.Writer, error) {
	w := encodeWriters.Get().(*xmlio.Writer)
	w.Reset(nil)
	err := writeMessage(m, w, body)
	if err == nil {
		err = w.Err()
	}
	if err == nil && int64(len(w.Bytes())) > limit {
		err = errors.Quotaf("MaxBufferedMessageSize",
			"the envelope is %d bytes, over the channel's MaxBufferedMessageSize of %d; raise it with WithMaxBufferedMessageSize or use WithTransferMode(StreamedOutput)",
			len(w.Bytes()), limit)
	}
	if err != nil {
		releaseWriter(w)
		return nil, err
	}
	return w, nil
}

// releaseWriter returns a writer of encodePooled to the pool.
func releaseWriter(w *xmlio.Writer) {
	if cap(w.Bytes()) <= 1<<20 { // do not pool huge buffers
		w.Reset(nil)
		encodeWriters.Put(w)
	}
}

// encodeSecured is encodeBuffered followed, when sec is not nil, by
// sec.Secure on the copy; limit bounds the secured envelope as well.
func encodeSecured(ctx context.Context, m *message.Message, body any, limit int64, sec MessageSecurity) ([]byte, error) {
	w, err := encodePooled(m, body, limit)
	if err != nil {
		return nil, err
	}
	env := bytes.Clone(w.Bytes())
	releaseWriter(w)
	if sec == nil {
		return env, nil
	}
	secured, err := sec.Secure(ctx, env)
	if err != nil {
		if _, ok := err.(*errors.Error); !ok {
			err = errors.Errorf(errors.SecuritySystemFailure, "message security could not secure the envelope: %w", err)
		}
		return nil, err
	}
	if int64(len(secured)) > limit {
		return nil, errors.Quotaf("MaxBufferedMessageSize",
			"the secured envelope is %d bytes (%d before message security), over the channel's MaxBufferedMessageSize of %d; raise it with WithMaxBufferedMessageSize",
			len(secured), len(env), limit)
	}
	return secured, nil
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

// body returns the first reader of the envelope, of a type net/http
// recognises as in-memory (io.NopCloser of a *bytes.Reader).
func (sb *sendBuffer) body() io.ReadCloser {
	sb.reader.Reset(sb.buf)
	return io.NopCloser(&sb.reader)
}

// getBody is http.Request.GetBody: the transport calls it to resend the
// request (on a stale keep-alive connection, for a redirect), with a
// reader of its own (the first one may still be read by an earlier
// attempt).
func (sb *sendBuffer) getBody() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(sb.buf)), nil
}

// finish ends the exchange's use of the send buffer: a streamed writer is
// stopped (if the server answered before reading everything) and waited
// for, so that no goroutine outlives the exchange.
func (sb *sendBuffer) finish() {
	if sb.pipe != nil {
		sb.pipe.CloseWithError(errStopped)
		<-sb.done
	}
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
