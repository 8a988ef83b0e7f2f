package wssec

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"io"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
)

// Secure returns env (a complete SOAP 1.1 or 1.2 envelope) with a
// wsse:Security header, marked mustUnderstand, inserted as the first
// header: the Timestamp, the UsernameToken, the BinarySecurityTokens and
// the Signature the Config asks for. Body, Timestamp and the chosen
// headers get a wsu:Id when signed. env is not modified.
func (s *Securer) Secure(ctx context.Context, env []byte) ([]byte, error) {
	const op = "secure WS-Security"
	if err := ctx.Err(); err != nil {
		return nil, errors.Errorf(errors.OperationAborted, "the context ended before the envelope was secured: %w", err).WithOp(op)
	}
	e, err := parseEnvelope(env, s.cfg.MaxEnvelopeSize, DefaultMaxDepth*4)
	if err != nil {
		return nil, withOp(err, op)
	}
	e.indexIDs()
	b := &builder{s: s, e: e}
	if err := b.build(); err != nil {
		return nil, withOp(err, op)
	}
	e.doc.WriteSettings = etree.WriteSettings{CanonicalText: true, CanonicalAttrVal: true}
	out, err := e.doc.WriteToBytes()
	if err != nil {
		return nil, errors.Errorf(errors.InvalidFormat, "write the secured envelope: %v", err).WithOp(op)
	}
	return out, nil
}

// builder secures one envelope.
type builder struct {
	s   *Securer
	e   *envelope
	sec *etree.Element
}

func (b *builder) build() error {
	cfg := &b.s.cfg
	e := b.e
	if e.header == nil {
		e.header = etree.NewElement(qualified(e.root.Space, "Header"))
		e.root.InsertChildAt(e.body.Index(), e.header)
	}
	sec := etree.NewElement("wsse:Security")
	sec.CreateAttr("xmlns:wsse", NamespaceWSSE)
	sec.CreateAttr("xmlns:wsu", NamespaceWSU)
	envPrefix := e.root.Space
	if envPrefix == "" || envPrefix == "wsse" || envPrefix == "wsu" {
		envPrefix = "soapenv"
		sec.CreateAttr("xmlns:soapenv", e.ns)
	}
	sec.CreateAttr(envPrefix+":mustUnderstand", "1")
	e.header.InsertChildAt(firstElementIndex(e.header), sec)
	b.sec = sec

	now := cfg.Now()
	var ts *etree.Element
	if cfg.Timestamp {
		id, err := b.newID("TS-")
		if err != nil {
			return err
		}
		ts = sec.CreateElement("wsu:Timestamp")
		ts.CreateAttr("wsu:Id", id)
		ts.CreateElement("wsu:Created").SetText(formatTime(now))
		ts.CreateElement("wsu:Expires").SetText(formatTime(now.Add(cfg.TimestampTTL)))
	}
	if cfg.Username != "" {
		if err := b.usernameToken(formatTime(now)); err != nil {
			return err
		}
	}
	if cfg.Signer != nil {
		return b.sign(ts)
	}
	return nil
}

// usernameToken adds the UsernameToken.
func (b *builder) usernameToken(created string) error {
	cfg := &b.s.cfg
	id, err := b.newID("UsernameToken-")
	if err != nil {
		return err
	}
	ut := b.sec.CreateElement("wsse:UsernameToken")
	ut.CreateAttr("wsu:Id", id)
	ut.CreateElement("wsse:Username").SetText(cfg.Username)
	pw := ut.CreateElement("wsse:Password")
	if !cfg.PasswordDigest {
		pw.CreateAttr("Type", PasswordTextType)
		pw.SetText(cfg.Password)
		return nil
	}
	nonce := make([]byte, 16)
	if _, err := io.ReadFull(cfg.Rand, nonce); err != nil {
		return errors.Errorf(errors.SecuritySystemFailure, "read a random nonce: %v", err)
	}
	pw.CreateAttr("Type", PasswordDigestType)
	pw.SetText(PasswordDigest(nonce, created, cfg.Password))
	n := ut.CreateElement("wsse:Nonce")
	n.CreateAttr("EncodingType", Base64BinaryEncoding)
	n.SetText(base64.StdEncoding.EncodeToString(nonce))
	ut.CreateElement("wsu:Created").SetText(created)
	return nil
}

// newID returns an Id not yet used in the envelope.
func (b *builder) newID(prefix string) (string, error) {
	for {
		r := make([]byte, 12)
		if _, err := io.ReadFull(b.s.cfg.Rand, r); err != nil {
			return "", errors.Errorf(errors.SecuritySystemFailure, "read a random Id: %v", err)
		}
		id := prefix + hex.EncodeToString(r)
		if _, used := b.e.ids[id]; !used {
			b.e.ids[id] = nil
			return id, nil
		}
	}
}

// ensureID returns el's wsu:Id, adding one (and a wsu prefix declaration
// where none is in scope) when it has none.
func (b *builder) ensureID(el *etree.Element, prefix string) (string, error) {
	if id, ok := attrNS(el, NamespaceWSU, "Id"); ok {
		return id, nil
	}
	id, err := b.newID(prefix)
	if err != nil {
		return "", err
	}
	p := "wsu"
	for i := 0; ; i++ {
		if i > 0 {
			p = "wsu" + string(rune('0'+i%10))
		}
		bound := lookupAt(el, p)
		if bound == NamespaceWSU {
			break
		}
		if bound == "" && !declares(el, p) {
			el.CreateAttr("xmlns:"+p, NamespaceWSU)
			break
		}
		if i > 20 {
			return "", errors.Errorf(errors.InvalidArgument, "no free prefix for wsu on <%s>", el.FullTag())
		}
	}
	el.CreateAttr(p+":Id", id)
	return id, nil
}

// lookupAt resolves prefix at el by walking up its declarations.
func lookupAt(el *etree.Element, prefix string) string {
	for ; el != nil; el = el.Parent() {
		for _, a := range el.Attr {
			if a.Space == "xmlns" && a.Key == prefix {
				return a.Value
			}
		}
	}
	return ""
}

// declares reports whether el itself declares prefix.
func declares(el *etree.Element, prefix string) bool {
	for _, a := range el.Attr {
		if a.Space == "xmlns" && a.Key == prefix {
			return true
		}
	}
	return false
}

// firstElementIndex is the child index of el's first element (its token
// count when it has none), where the Security header goes.
func firstElementIndex(el *etree.Element) int {
	for i, t := range el.Child {
		if _, ok := t.(*etree.Element); ok {
			return i
		}
	}
	return len(el.Child)
}

func qualified(prefix, local string) string {
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
}

// withOp sets op on an *errors.Error that has none.
func withOp(err error, op string) error {
	if e, ok := err.(*errors.Error); ok && e.Op == "" {
		e.Op = op
	}
	return err
}
