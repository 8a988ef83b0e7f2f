package channel

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"strings"

	"github.com/wsgo/wsgo/errors"
)

// decodedBody returns the response body with its content coding removed.
// The channel asks for gzip and deflate itself (Accept-Encoding), so that
// the size quotas apply to the decoded bytes: a small compressed reply that
// inflates past the quota (a "gzip bomb") fails with QuotaExceeded after
// reading no more than the quota.
func decodedBody(resp *http.Response) (io.Reader, error) {
	coding := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	switch coding {
	case "", "identity":
		return resp.Body, nil
	case "gzip", "x-gzip":
		return &lazyDecoder{src: resp.Body, open: func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }, name: "gzip"}, nil
	case "deflate":
		// RFC 9110 deflate is zlib-wrapped; some servers send raw DEFLATE.
		return &lazyDecoder{src: resp.Body, open: openDeflate, name: "deflate"}, nil
	}
	return nil, errors.Errorf(errors.InvalidFormat,
		"the service sent the reply with content coding %q, which wsgo does not decode (it asks for gzip or deflate)", coding)
}

func openDeflate(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	if hdr, err := br.Peek(2); err == nil && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 && hdr[0]&0x0f == 8 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}

// lazyDecoder opens its decoder on the first Read, so that a body that is
// never read (an error status) costs nothing, and turns a corrupt stream
// into InvalidFormat.
type lazyDecoder struct {
	src  io.Reader
	open func(io.Reader) (io.Reader, error)
	dec  io.Reader
	name string
	err  error
}

func (d *lazyDecoder) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	if d.dec == nil {
		dec, err := d.open(d.src)
		if err != nil {
			d.err = d.fail(err)
			return 0, d.err
		}
		d.dec = dec
	}
	n, err := d.dec.Read(p)
	if err != nil && err != io.EOF {
		err = d.fail(err)
		d.err = err
	}
	return n, err
}

func (d *lazyDecoder) fail(err error) error {
	if _, ok := err.(*errors.Error); ok {
		return err // from the connection, already classified
	}
	if err == io.ErrUnexpectedEOF {
		return errors.Errorf(errors.EndpointDisconnected, "the %s-compressed reply ended early: %w", d.name, err)
	}
	var ce flate.CorruptInputError
	if errors.As(err, &ce) || err == gzip.ErrHeader || err == gzip.ErrChecksum || err == zlib.ErrHeader || err == zlib.ErrChecksum {
		return errors.Errorf(errors.InvalidFormat, "the reply's %s content coding is corrupt: %w", d.name, err)
	}
	return err
}
