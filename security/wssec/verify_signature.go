package wssec

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"strings"

	"github.com/beevik/etree"
)

// signature verifies the ds:Signature: its SignedInfo against the
// certificate its KeyInfo names (trusted per the Policy), every
// reference's digest, and that the Body, the Timestamp and the policy's
// headers are among the signed parts.
func (x *verification) signature() error {
	p := &x.v.p
	e := x.e
	e.indexIDs()
	si, err := single(x.sig, NamespaceDS, "SignedInfo", "ds:Signature", true)
	if err != nil {
		return err
	}
	svEl, err := single(x.sig, NamespaceDS, "SignatureValue", "ds:Signature", true)
	if err != nil {
		return err
	}
	var cm, sm *etree.Element
	var refs []*etree.Element
	for _, c := range si.ChildElements() {
		switch {
		case is(c, NamespaceDS, "CanonicalizationMethod") && cm == nil:
			cm = c
		case is(c, NamespaceDS, "SignatureMethod") && sm == nil:
			sm = c
		case is(c, NamespaceDS, "Reference"):
			if len(refs) == p.MaxReferences {
				return fail(InvalidSecurity, "the signature has more than %d references (MaxReferences)", p.MaxReferences)
			}
			refs = append(refs, c)
		default:
			return fail(InvalidSecurity, "unexpected <%s> in ds:SignedInfo", c.FullTag())
		}
	}
	if cm == nil || sm == nil || len(refs) == 0 {
		return fail(InvalidSecurity, "ds:SignedInfo needs a CanonicalizationMethod, a SignatureMethod and at least one Reference")
	}
	siPrefixes, err := c14nMethod(cm)
	if err != nil {
		return err
	}
	method, _ := attr(sm, "Algorithm")
	hash, ok := signatureHashes[method]
	if !ok || (hash == crypto.SHA1 && !p.AllowSHA1) {
		return fail(InvalidSecurity, "the SignatureMethod %q is not accepted (RSA-SHA256%s)", method, sha1Note(p.AllowSHA1))
	}
	value, err := decodeBase64(text(svEl))
	if err != nil {
		return fail(InvalidSecurity, "the SignatureValue is not base64")
	}
	specs := make([]refSpec, len(refs))
	for i, ref := range refs {
		if specs[i], err = parseReference(ref, p.AllowSHA1); err != nil {
			return err
		}
	}

	cert, err := x.signingCert()
	if err != nil {
		return err
	}
	if err := x.trust(cert); err != nil {
		return err
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fail(InvalidSecurityToken, "the signing certificate's key is %T; RSA signatures are verified here", cert.PublicKey)
	}
	c14n, err := canonical(si, siPrefixes)
	if err != nil {
		return fail(InvalidSecurity, "ds:SignedInfo cannot be canonicalized: %v", err)
	}
	h := hash.New()
	h.Write(c14n)
	if err := rsa.VerifyPKCS1v15(pub, hash, h.Sum(nil), value); err != nil {
		return fail(FailedCheck, "the SignatureValue does not verify with the key of %s", cert.Subject)
	}

	signed := make(map[*etree.Element]bool, len(refs))
	for _, spec := range specs {
		el, err := x.reference(spec)
		if err != nil {
			return err
		}
		if signed[el] {
			return fail(InvalidSecurity, "two references sign the same element <%s>", el.FullTag())
		}
		signed[el] = true
		x.res.Signed = append(x.res.Signed, x.partName(el))
	}
	if !signed[e.body] {
		return fail(InvalidSecurity, "the signature does not cover the envelope's Body")
	}
	if x.ts != nil && !signed[x.ts] {
		return fail(InvalidSecurity, "the signature does not cover the Timestamp")
	}
	if e.header != nil {
		for _, hd := range e.header.ChildElements() {
			for _, n := range p.SignedHeaders {
				if is(hd, n.Space, n.Local) && !signed[hd] {
					return fail(InvalidSecurity, "the signature does not cover the header {%s}%s, which the policy requires signed", n.Space, n.Local)
				}
			}
		}
	}
	x.res.Certificate = cert
	x.res.SignatureMethod = method
	created := x.res.Created // the signed Timestamp's, checked before
	if created.IsZero() {
		// No Timestamp: nothing bounds the message's age, so remember the
		// signature for a whole window from now rather than not at all.
		// (Only RequireTimestamp makes old messages fail for good.)
		created = x.w.now
	}
	x.replays = append(x.replays, replayEntry{key: "sig\x00" + string(value), until: x.w.until(created)})
	return nil
}

func sha1Note(allowed bool) string {
	if allowed {
		return " or RSA-SHA1"
	}
	return "; RSA-SHA1 only with Policy.AllowSHA1"
}

// c14nMethod checks a CanonicalizationMethod or Transform: exclusive C14N
// only, and returns its InclusiveNamespaces PrefixList.
func c14nMethod(el *etree.Element) (string, error) {
	alg, _ := attr(el, "Algorithm")
	if alg != ExcC14N {
		return "", fail(InvalidSecurity, "the algorithm %q is not accepted; only exclusive C14N (%s) is", alg, ExcC14N)
	}
	prefixes := ""
	for _, c := range el.ChildElements() {
		if !is(c, ExcC14N, "InclusiveNamespaces") || prefixes != "" {
			return "", fail(InvalidSecurity, "unexpected <%s> in an exclusive C14N method", c.FullTag())
		}
		prefixes, _ = attr(c, "PrefixList")
		prefixes = " " + prefixes // non-empty marks it seen
	}
	return strings.TrimSpace(prefixes), nil
}

// refSpec is a parsed ds:Reference.
type refSpec struct {
	uri      string
	prefixes string // the exclusive C14N transform's InclusiveNamespaces
	hash     crypto.Hash
	want     []byte
}

// parseReference checks the form of a ds:Reference: a same-document
// "#Id" URI, exactly one transform (exclusive C14N), an accepted digest.
func parseReference(ref *etree.Element, allowSHA1 bool) (refSpec, error) {
	uri, _ := attr(ref, "URI")
	if len(uri) < 2 || uri[0] != '#' {
		return refSpec{}, fail(InvalidSecurity, "the reference URI %q is not a same-document #Id reference", uri)
	}
	var transforms, dm, dv *etree.Element
	for _, c := range ref.ChildElements() {
		switch {
		case is(c, NamespaceDS, "Transforms") && transforms == nil:
			transforms = c
		case is(c, NamespaceDS, "DigestMethod") && dm == nil:
			dm = c
		case is(c, NamespaceDS, "DigestValue") && dv == nil:
			dv = c
		default:
			return refSpec{}, fail(InvalidSecurity, "unexpected <%s> in the reference to %s", c.FullTag(), uri)
		}
	}
	if transforms == nil || dm == nil || dv == nil {
		return refSpec{}, fail(InvalidSecurity, "the reference to %s needs Transforms (exclusive C14N), DigestMethod and DigestValue", uri)
	}
	ts := transforms.ChildElements()
	if len(ts) != 1 || !is(ts[0], NamespaceDS, "Transform") {
		return refSpec{}, fail(InvalidSecurity, "the reference to %s must have exactly one Transform, exclusive C14N", uri)
	}
	prefixes, err := c14nMethod(ts[0])
	if err != nil {
		return refSpec{}, err
	}
	alg, _ := attr(dm, "Algorithm")
	hash, ok := digestHashes[alg]
	if !ok || (hash == crypto.SHA1 && !allowSHA1) {
		return refSpec{}, fail(InvalidSecurity, "the DigestMethod %q is not accepted (SHA-256%s)", alg, sha1Note(allowSHA1))
	}
	want, err := decodeBase64(text(dv))
	if err != nil {
		return refSpec{}, fail(InvalidSecurity, "the DigestValue of the reference to %s is not base64", uri)
	}
	return refSpec{uri: uri, prefixes: prefixes, hash: hash, want: want}, nil
}

// reference resolves a reference to exactly one element and checks its
// digest; it returns the element.
func (x *verification) reference(r refSpec) (*etree.Element, error) {
	el, n := x.e.resolve(r.uri[1:])
	switch {
	case n == 0:
		return nil, fail(InvalidSecurity, "the reference %s names no element of the envelope", r.uri)
	case n > 1:
		return nil, fail(InvalidSecurity, "the Id %q is carried by %d elements; a reference must name exactly one (signature wrapping?)", r.uri[1:], n)
	}
	for a := el; a != nil; a = a.Parent() {
		if a == x.sig {
			return nil, fail(InvalidSecurity, "the reference %s names a part of the signature itself", r.uri)
		}
	}
	got, err := digestOf(el, r.prefixes, r.hash)
	if err != nil {
		return nil, fail(InvalidSecurity, "the element of reference %s cannot be canonicalized: %v", r.uri, err)
	}
	if subtle.ConstantTimeCompare(got, r.want) != 1 {
		return nil, fail(FailedCheck, "the digest of <%s> (reference %s) does not match: the part was changed after signing", el.FullTag(), r.uri)
	}
	return el, nil
}

// signingCert finds the certificate the signature's KeyInfo names: a
// SecurityTokenReference to a BinarySecurityToken of the header, or an
// embedded X509Data certificate, or a KeyIdentifier (subject key
// identifier or SHA-1 thumbprint) of a pinned or enclosed certificate.
func (x *verification) signingCert() (*x509.Certificate, error) {
	ki, err := single(x.sig, NamespaceDS, "KeyInfo", "ds:Signature", true)
	if err != nil {
		return nil, err
	}
	for _, c := range ki.ChildElements() {
		switch {
		case is(c, NamespaceWSSE, "SecurityTokenReference"):
			return x.tokenReference(c)
		case is(c, NamespaceDS, "X509Data"):
			return x509Data(c)
		}
	}
	return nil, fail(InvalidSecurityToken, "the signature's KeyInfo names no certificate (SecurityTokenReference or X509Data)")
}

func (x *verification) tokenReference(str *etree.Element) (*x509.Certificate, error) {
	for _, c := range str.ChildElements() {
		switch {
		case is(c, NamespaceWSSE, "Reference"):
			uri, _ := attr(c, "URI")
			if len(uri) < 2 || uri[0] != '#' {
				return nil, fail(InvalidSecurityToken, "the SecurityTokenReference URI %q is not a #Id reference to a token of the header", uri)
			}
			el, n := x.e.resolve(uri[1:])
			if n != 1 {
				return nil, fail(InvalidSecurityToken, "the SecurityTokenReference %s names %d elements; it must name one BinarySecurityToken", uri, n)
			}
			for _, b := range x.bsts {
				if b == el {
					return parseToken(b)
				}
			}
			return nil, fail(InvalidSecurityToken, "the SecurityTokenReference %s does not name a BinarySecurityToken of this Security header", uri)
		case is(c, NamespaceDS, "X509Data"):
			return x509Data(c)
		case is(c, NamespaceWSSE, "KeyIdentifier"):
			return x.keyIdentifier(c)
		}
	}
	return nil, fail(InvalidSecurityToken, "the SecurityTokenReference holds no Reference, X509Data or KeyIdentifier")
}

// x509Data returns the certificate of a ds:X509Data.
func x509Data(d *etree.Element) (*x509.Certificate, error) {
	c, err := single(d, NamespaceDS, "X509Certificate", "ds:X509Data", false)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fail(InvalidSecurityToken, "the X509Data holds no X509Certificate")
	}
	return parseCert(text(c))
}

// The KeyIdentifier value types of the X.509 Token Profile 1.0 / 1.1.
const (
	skiValueType        = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier"
	thumbprintValueType = "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#ThumbprintSHA1"
)

// keyIdentifier finds the certificate a KeyIdentifier names among the
// header's tokens and the pinned certificates.
func (x *verification) keyIdentifier(ki *etree.Element) (*x509.Certificate, error) {
	vt, _ := attr(ki, "ValueType")
	id, err := decodeBase64(text(ki))
	if err != nil {
		return nil, fail(InvalidSecurityToken, "the KeyIdentifier is not base64")
	}
	candidates := append([]*x509.Certificate(nil), x.v.p.Pinned...)
	for _, b := range x.bsts {
		if c, err := parseToken(b); err == nil {
			candidates = append(candidates, c)
		}
	}
	for _, c := range candidates {
		switch vt {
		case skiValueType:
			if len(c.SubjectKeyId) > 0 && subtle.ConstantTimeCompare(c.SubjectKeyId, id) == 1 {
				return c, nil
			}
		case thumbprintValueType:
			sum := sha1.Sum(c.Raw)
			if subtle.ConstantTimeCompare(sum[:], id) == 1 {
				return c, nil
			}
		default:
			return nil, fail(InvalidSecurityToken, "the KeyIdentifier ValueType %q is not supported (X509SubjectKeyIdentifier, ThumbprintSHA1)", vt)
		}
	}
	return nil, fail(InvalidSecurityToken, "the KeyIdentifier %s names no known certificate", base64.StdEncoding.EncodeToString(id))
}

// trust checks the signing certificate: pinned, or chaining to Roots;
// within its validity period either way.
func (x *verification) trust(cert *x509.Certificate) error {
	p := &x.v.p
	now := x.w.now
	if cert.KeyUsage != 0 && cert.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		// RFC 5280 §4.2.1.3: a key whose usage is restricted, but not to
		// signing, must not sign (pinned certificates included).
		return fail(InvalidSecurityToken, "the signing certificate %s may not sign: its key usage allows neither digitalSignature nor nonRepudiation", cert.Subject)
	}
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return fail(InvalidSecurityToken, "the signing certificate %s is valid from %s to %s, not now (%s)",
			cert.Subject, formatTime(cert.NotBefore), formatTime(cert.NotAfter), formatTime(now))
	}
	for _, pin := range p.Pinned {
		if sameCert(pin, cert) {
			return nil
		}
	}
	if p.Roots == nil {
		if len(p.Pinned) == 0 {
			return fail(InvalidSecurityToken, "a signature arrived, but the policy has no Roots or Pinned certificates to trust it with")
		}
		return fail(InvalidSecurityToken, "the signing certificate %s is not one of the pinned certificates", cert.Subject)
	}
	inter := x509.NewCertPool()
	if p.Intermediates != nil {
		inter = p.Intermediates.Clone()
	}
	for _, b := range x.bsts {
		if c, err := parseToken(b); err == nil && !sameCert(c, cert) {
			inter.AddCert(c)
		}
	}
	_, err := cert.Verify(x509.VerifyOptions{
		Roots:         p.Roots,
		Intermediates: inter,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return fail(InvalidSecurityToken, "the signing certificate %s is not trusted: %v", cert.Subject, err)
	}
	return nil
}
