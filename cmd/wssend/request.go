package main

import (
	"bytes"
	"io"
	"os"
	"strings"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// readInput returns the BODY argument's bytes: a file, stdin for "-",
// and stdin too when BODY is left out and stdin is not a terminal (a pipe
// or a redirected file). Empty input means an empty SOAP Body.
func readInput(o *options, stdin io.Reader) ([]byte, string, error) {
	switch {
	case o.input == "-", o.input == "" && stdin != nil && !isTerminal(stdin):
		if stdin == nil {
			return nil, "stdin", nil
		}
		data, err := io.ReadAll(io.LimitReader(stdin, o.maxSize+1))
		if err != nil {
			return nil, "", errors.Errorf(errors.InvalidArgument, "reading the body from stdin: %w", err)
		}
		return checkSize(data, "stdin", o.maxSize)
	case o.input == "":
		return nil, "", nil
	}
	data, err := readFile(o.input, o.maxSize)
	if err != nil {
		return nil, "", err
	}
	return data, o.input, nil
}

// readFile reads an input file named on the command line.
func readFile(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, errors.Errorf(errors.InvalidArgument, "cannot read %s: %w", name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, errors.Errorf(errors.InvalidArgument, "cannot read %s: %w", name, err)
	}
	data, _, err = checkSize(data, name, limit)
	return data, err
}

func checkSize(data []byte, name string, limit int64) ([]byte, string, error) {
	if int64(len(data)) > limit {
		return nil, "", errors.Quotaf("MaxBufferedMessageSize",
			"%s is larger than -max-size (%d bytes); raise -max-size", name, limit)
	}
	return data, name, nil
}

// inputOptions are the reader limits for the user's own files, which are
// already within -max-size: room for deep or namespace-heavy documents and
// for a text run (a base64 blob) as long as the file.
func inputOptions(size int) *xmlio.Options {
	return &xmlio.Options{MaxBytes: int64(size) + 1, MaxTokenBytes: size + 1, MaxDepth: 1024, MaxNamespaces: 1024}
}

// checkBody verifies that data is one well-formed XML element (or
// nothing), before anything is sent, so that a mistake in the file is
// reported with its name and line rather than as a failed exchange.
func checkBody(data []byte, name string) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	r := xmlio.NewReader(data, inputOptions(len(data)))
	for {
		k, err := r.Next()
		if err != nil {
			return inputError(err, name)
		}
		if k == xmlio.EOF {
			return nil
		}
	}
}

// bodyWriter returns the request body: a BodyFunc that copies the body
// element from data into the message as it is (prefixes and namespace
// declarations included), or nil for an empty Body.
func bodyWriter(data []byte) any {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	return channel.BodyFunc(func(m *message.Message) error {
		r := xmlio.NewReader(data, inputOptions(len(data)))
		if _, err := nextElement(r); err != nil {
			return err
		}
		return xmlio.CopyElement(m.BodyWriter(), r, nil)
	})
}

// readHeader reads a -header file: one namespace-qualified element, the
// SOAP attributes of its root (mustUnderstand, actor or role, relay) taken
// out as the header's attributes, which the message writes in its own SOAP
// version.
func readHeader(name string, limit int64) (*etree.Element, message.HeaderAttributes, error) {
	var attrs message.HeaderAttributes
	data, err := readFile(name, limit)
	if err != nil {
		return nil, attrs, err
	}
	if err := checkBody(data, name); err != nil {
		return nil, attrs, err
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil || doc.Root() == nil {
		return nil, attrs, errors.Errorf(errors.InvalidFormat, "%s: not an XML element: %v", name, err)
	}
	root := doc.Root()
	if root.NamespaceURI() == "" {
		return nil, attrs, errors.Errorf(errors.InvalidArgument,
			"%s: header <%s> has no namespace; SOAP header blocks must be namespace-qualified (add xmlns=\"...\")", name, root.Tag)
	}
	kept := root.Attr[:0]
	for _, a := range root.Attr {
		ns := a.NamespaceURI()
		if ns != message.NamespaceSOAP11 && ns != message.NamespaceSOAP12 {
			kept = append(kept, a)
			continue
		}
		v := strings.TrimSpace(a.Value)
		switch a.Key {
		case "mustUnderstand":
			attrs.MustUnderstand = v == "1" || v == "true"
		case "relay":
			attrs.Relay = v == "1" || v == "true"
		case "actor", "role":
			attrs.Role = v
		default:
			kept = append(kept, a)
		}
	}
	root.Attr = kept
	return root, attrs, nil
}

// envelopeInfo is what wssend needs to know of an -envelope file to send
// it as it is: its SOAP version (for the content type) and the action in
// its WS-Addressing headers, if any (for SOAPAction or the action
// parameter).
type envelopeInfo struct {
	version message.EnvelopeVersion
	action  string
}

// inspectEnvelope checks that data is a well-formed SOAP 1.1 or 1.2
// envelope and returns its version and wsa:Action.
func inspectEnvelope(data []byte, name string) (envelopeInfo, error) {
	var info envelopeInfo
	r := xmlio.NewReader(data, inputOptions(len(data)))
	if _, err := nextElement(r); err != nil {
		return info, inputError(err, name)
	}
	switch {
	case r.Is("Envelope", message.NamespaceSOAP11):
		info.version = message.SOAP11
	case r.Is("Envelope", message.NamespaceSOAP12):
		info.version = message.SOAP12
	default:
		return info, errors.Errorf(errors.InvalidFormat,
			"%s: the root element is <%s> in namespace %q, not a SOAP 1.1 or 1.2 Envelope (without -envelope, BODY is the body element)",
			name, r.Local(), r.Namespace())
	}
	env := info.version.Namespace()
	inHeader := false
	for {
		k, err := r.Next()
		if err != nil {
			return info, inputError(err, name)
		}
		switch {
		case k == xmlio.EOF:
			return info, nil
		case k != xmlio.StartElement:
		case r.Depth() == 2:
			inHeader = r.Is("Header", env)
		case r.Depth() == 3 && inHeader && info.action == "" &&
			(r.Is("Action", message.NamespaceAddressing1_0) || r.Is("Action", message.NamespaceAddressing0_9)):
			text, err := r.ReadElementText(nil)
			if err != nil {
				return info, inputError(err, name)
			}
			info.action = strings.TrimSpace(string(text))
		}
	}
}

// inputError names the input file in a reader error.
func inputError(err error, name string) error {
	var e *errors.Error
	if errors.As(err, &e) {
		return e.AddString(name + " is not well-formed XML")
	}
	return errors.Errorf(errors.InvalidFormat, "%s: %w", name, err)
}

// envelopeHeaders are the HTTP headers of an envelope sent as it is:
// what the channel's binding would set for its version.
func envelopeHeaders(info envelopeInfo, action string) []httpHeader {
	if info.version == message.SOAP11 {
		return []httpHeader{
			{"Content-Type", "text/xml; charset=utf-8"},
			{"Soapaction", `"` + action + `"`},
		}
	}
	ct := "application/soap+xml; charset=utf-8"
	if action != "" {
		ct += `; action="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(action) + `"`
	}
	return []httpHeader{{"Content-Type", ct}}
}

// rawEnvelope is the body of an -envelope request: the file's bytes
// written as they are.
func rawEnvelope(data []byte) channel.BodyFunc {
	return func(m *message.Message) error {
		m.BodyWriter().Raw(data)
		return nil
	}
}
