package wssec

import (
	"crypto"
	"encoding/base64"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
)

// sign adds the BinarySecurityTokens and the Signature over the Body, the
// Timestamp ts and the configured headers.
func (b *builder) sign(ts *etree.Element) error {
	cfg := &b.s.cfg
	e := b.e
	var tokenID string
	for i, c := range cfg.Certificates {
		id, err := b.newID("X509-")
		if err != nil {
			return err
		}
		if i == 0 {
			tokenID = id
		}
		bst := b.sec.CreateElement("wsse:BinarySecurityToken")
		bst.CreateAttr("EncodingType", Base64BinaryEncoding)
		bst.CreateAttr("ValueType", X509v3ValueType)
		bst.CreateAttr("wsu:Id", id)
		bst.SetText(base64.StdEncoding.EncodeToString(c.Raw))
	}

	// Every target gets its Id before any digest is taken: adding one
	// changes the element (and maybe its declarations).
	targets := []*etree.Element{e.body, ts}
	if e.header != nil {
		for _, h := range e.header.ChildElements() {
			if h == b.sec {
				continue
			}
			for _, n := range cfg.SignHeaders {
				if is(h, n.Space, n.Local) {
					targets = append(targets, h)
					break
				}
			}
		}
	}
	ids := make([]string, len(targets))
	for i, t := range targets {
		prefix := "id-"
		if t == ts {
			prefix = "TS-"
		}
		id, err := b.ensureID(t, prefix)
		if err != nil {
			return err
		}
		ids[i] = id
	}

	sig := b.sec.CreateElement("ds:Signature")
	sig.CreateAttr("xmlns:ds", NamespaceDS)
	si := sig.CreateElement("ds:SignedInfo")
	si.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", ExcC14N)
	si.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", cfg.SignatureMethod)
	for i, t := range targets {
		digest, err := digestOf(t, "", digestHashes[cfg.DigestMethod])
		if err != nil {
			return err
		}
		ref := si.CreateElement("ds:Reference")
		ref.CreateAttr("URI", "#"+ids[i])
		ref.CreateElement("ds:Transforms").CreateElement("ds:Transform").CreateAttr("Algorithm", ExcC14N)
		ref.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", cfg.DigestMethod)
		ref.CreateElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(digest))
	}
	sv := sig.CreateElement("ds:SignatureValue")
	str := sig.CreateElement("ds:KeyInfo").CreateElement("wsse:SecurityTokenReference")
	r := str.CreateElement("wsse:Reference")
	r.CreateAttr("URI", "#"+tokenID)
	r.CreateAttr("ValueType", X509v3ValueType)

	c14n, err := canonical(si, "")
	if err != nil {
		return err
	}
	hash := signatureHashes[cfg.SignatureMethod]
	h := hash.New()
	h.Write(c14n)
	value, err := cfg.Signer.Sign(cfg.Rand, h.Sum(nil), hash)
	if err != nil {
		return errors.Errorf(errors.SecuritySystemFailure, "the Signer failed: %v", err)
	}
	sv.SetText(base64.StdEncoding.EncodeToString(value))
	return nil
}

// digestOf hashes the exclusive canonical form of el.
func digestOf(el *etree.Element, prefixList string, hash crypto.Hash) ([]byte, error) {
	c14n, err := canonical(el, prefixList)
	if err != nil {
		return nil, err
	}
	h := hash.New()
	h.Write(c14n)
	return h.Sum(nil), nil
}
