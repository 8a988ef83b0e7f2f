package main

import (
	"bytes"
	"io"
	"os"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// The reply is printed from the bytes the channel's Trace hands over
// (ResponseBody): they are exactly what the service sent, which is what a
// debugging tool must show, and the same bytes serve the whole-envelope
// output, -body-only and, for -envelope, the fault check.

// replyOptions are the reader limits for re-reading a reply that the
// channel already accepted under -max-size.
func replyOptions(data []byte) *xmlio.Options {
	return inputOptions(len(data))
}

// writeReply prints the reply envelope, or its body elements with
// -body-only, to -o FILE or stdout.
func writeReply(o *options, reply []byte, stdout io.Writer) error {
	docs := [][]byte{reply}
	if o.bodyOnly {
		var err error
		if docs, err = bodyElements(reply); err != nil {
			return err
		}
	}
	pretty := o.pretty.on
	if !o.pretty.set {
		pretty = o.output == "" && isTerminal(stdout)
	}
	if o.output == "" {
		return writeDocs(stdout, docs, pretty)
	}
	f, err := os.Create(o.output)
	if err != nil {
		return errors.Errorf(errors.InvalidArgument, "-o %s: %w", o.output, err)
	}
	err = writeDocs(f, docs, pretty)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = errors.Errorf(errors.Other, "-o %s: %w", o.output, cerr)
	}
	return err
}

// writeDocs writes each document in turn.
func writeDocs(w io.Writer, docs [][]byte, pretty bool) error {
	for _, d := range docs {
		if err := writeXML(w, d, pretty); err != nil {
			return errors.Errorf(errors.Other, "writing the reply: %w", err)
		}
	}
	return nil
}

// faultIn returns the SOAP fault in a reply envelope, or nil when data is
// not an envelope carrying one. It serves -envelope, where the channel
// passes the reply through as an XML document and so cannot see faults.
func faultIn(data []byte) *errors.Fault {
	r := xmlio.NewReader(data, replyOptions(data))
	if _, err := nextElement(r); err != nil {
		return nil
	}
	var version message.EnvelopeVersion
	switch {
	case r.Is("Envelope", message.NamespaceSOAP11):
		version = message.SOAP11
	case r.Is("Envelope", message.NamespaceSOAP12):
		version = message.SOAP12
	default:
		return nil
	}
	m, err := message.New(version, message.AddressingTransport, nil)
	if err != nil {
		return nil
	}
	if m.ReadStart(xmlio.NewReader(data, replyOptions(data))) != nil || !m.IsFault() {
		return nil
	}
	var f errors.Fault
	if m.ReadBody(&f) != nil {
		return nil
	}
	return &f
}

// bodyElements returns each element of a SOAP envelope's Body as a
// standalone document (with the namespace declarations it relies on from
// the envelope), for -body-only.
func bodyElements(envelope []byte) ([][]byte, error) {
	r := xmlio.NewReader(envelope, replyOptions(envelope))
	if _, err := nextElement(r); err != nil {
		return nil, err
	}
	if !r.Is("Envelope", message.NamespaceSOAP11) && !r.Is("Envelope", message.NamespaceSOAP12) {
		return nil, errors.Errorf(errors.InvalidFormat, "the reply's root element is <%s>, not a SOAP Envelope", r.Local())
	}
	ns := string(r.Namespace())
	// Find the Body among the Envelope's children.
	for {
		k, err := nextElement(r)
		if err != nil {
			return nil, err
		}
		if k != xmlio.StartElement || r.Depth() != 2 {
			return nil, errors.Errorf(errors.InvalidFormat, "the reply's envelope has no Body")
		}
		if r.Is("Body", ns) {
			break
		}
		if err := r.Skip(); err != nil {
			return nil, err
		}
	}
	var out [][]byte
	var decls []xmlio.NSDecl
	for {
		k, err := nextElement(r)
		if err != nil {
			return nil, err
		}
		if k != xmlio.StartElement {
			return out, nil // the Body's end tag
		}
		w := xmlio.NewBufferWriter(nil)
		decls = r.InScopeNamespaces(decls[:0])
		if err := xmlio.CopyElement(w, r, &xmlio.CopyOptions{RootDecls: decls, Comments: true}); err != nil {
			return nil, err
		}
		out = append(out, trimNamespaces(bytes.Clone(w.Bytes())))
	}
}

// nextElement advances r to the next start or end tag, skipping text.
func nextElement(r *xmlio.Reader) (xmlio.Kind, error) {
	for {
		k, err := r.Next()
		if err != nil {
			return k, err
		}
		switch k {
		case xmlio.StartElement, xmlio.EndElement:
			return k, nil
		case xmlio.EOF:
			return k, errors.Errorf(errors.InvalidFormat, "the document ends early")
		}
	}
}
