package wssec

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// Verify checks the wsse:Security header of a received envelope (the one
// targeted at this node: no actor/role, next or ultimateReceiver) against
// the Policy and returns what it established. It parses env itself,
// under the Policy's bounds, refusing DTDs; env is not modified, and the
// caller reads the same bytes afterwards.
//
// A failed check is an *errors.Error with code SecurityVerificationFailure
// (SecurityTokenExpired for a stale timestamp) whose cause is a *Failure
// with the WSS fault subcode (see Fault). An envelope that is not
// well-formed, or not a SOAP envelope, is InvalidFormat, and one over the
// bounds QuotaExceeded, without a Failure: the channel answers those as
// unreadable requests.
func (v *Verifier) Verify(ctx context.Context, env []byte) (*Result, error) {
	const op = "verify WS-Security"
	if err := ctx.Err(); err != nil {
		return nil, errors.Errorf(errors.OperationAborted, "the context ended before the envelope was verified: %w", err).WithOp(op)
	}
	p := &v.p
	e, err := parseEnvelope(env, p.MaxEnvelopeSize, p.MaxDepth)
	if err != nil {
		return nil, withOp(err, op)
	}
	x := &verification{v: v, e: e, w: window{now: p.Now(), skew: p.MaxClockSkew, maxAge: p.MaxAge}, res: &Result{}}
	if err := x.run(ctx); err != nil {
		return nil, err
	}
	return x.res, nil
}

// verification is the state of one Verify call.
type verification struct {
	v   *Verifier
	e   *envelope
	w   window
	res *Result

	ts, ut, sig *etree.Element
	bsts        []*etree.Element
	replays     []replayEntry
}

func (x *verification) run(ctx context.Context) error {
	p := &x.v.p
	sec, err := x.securityHeader()
	if err != nil {
		return err
	}
	if sec != nil {
		if err := x.collect(sec); err != nil {
			return err
		}
	}
	switch {
	case p.RequireTimestamp && x.ts == nil:
		return fail(InvalidSecurity, "the envelope has no wsu:Timestamp in its wsse:Security header, and the policy requires one")
	case p.RequireSignature && x.sig == nil:
		return fail(InvalidSecurity, "the envelope is not signed (no ds:Signature in its wsse:Security header), and the policy requires a signature")
	case p.RequireUsernameToken && x.ut == nil:
		return fail(InvalidSecurity, "the envelope has no wsse:UsernameToken, and the policy requires one")
	}
	if x.ts != nil {
		if err := x.timestamp(); err != nil {
			return err
		}
	}
	if x.sig != nil {
		if err := x.signature(); err != nil {
			return err
		}
	}
	if x.ut != nil {
		if err := x.usernameToken(ctx); err != nil {
			return err
		}
	}
	if replayed, full := x.v.replay.add(x.w.now, x.replays...); replayed != "" {
		what := "nonce"
		if strings.HasPrefix(replayed, "sig\x00") {
			what = "signature"
		}
		return fail(InvalidSecurity, "the message's %s was seen before within the timestamp window: a replayed message", what)
	} else if full {
		return fail(InvalidSecurity, "the replay cache is full (MaxNonces %d live entries); the message is refused until entries expire", p.MaxNonces)
	}
	return nil
}

// securityHeader returns the Security header targeted at this node, nil
// when there is none.
func (x *verification) securityHeader() (*etree.Element, error) {
	e := x.e
	if e.header == nil {
		return nil, nil
	}
	var found *etree.Element
	for _, h := range e.header.ChildElements() {
		if !is(h, NamespaceWSSE, "Security") || !x.targeted(h) {
			continue
		}
		if found != nil {
			return nil, fail(InvalidSecurity, "the envelope has several wsse:Security headers for this node")
		}
		found = h
	}
	return found, nil
}

// targeted reports whether a header is meant for this node: no role
// (SOAP 1.1 actor), or next or ultimateReceiver.
func (x *verification) targeted(h *etree.Element) bool {
	name := "role"
	if x.e.version == message.SOAP11 {
		name = "actor"
	}
	role, ok := attrNS(h, x.e.ns, name)
	if !ok || role == "" {
		return true
	}
	switch role {
	case message.RoleNext11:
		return x.e.version == message.SOAP11
	case message.RoleNext12, message.RoleUltimateReceiver12:
		return x.e.version == message.SOAP12
	}
	return false
}

// collect sorts out the children of the Security header.
func (x *verification) collect(sec *etree.Element) error {
	for _, c := range sec.ChildElements() {
		switch {
		case is(c, NamespaceWSU, "Timestamp"):
			if x.ts != nil {
				return fail(InvalidSecurity, "the wsse:Security header has more than one wsu:Timestamp")
			}
			x.ts = c
		case is(c, NamespaceWSSE, "UsernameToken"):
			if x.ut != nil {
				return fail(InvalidSecurity, "the wsse:Security header has more than one wsse:UsernameToken")
			}
			x.ut = c
		case is(c, NamespaceWSSE, "BinarySecurityToken"):
			if len(x.bsts) == maxTokens {
				return fail(InvalidSecurity, "the wsse:Security header has more than %d BinarySecurityTokens", maxTokens)
			}
			x.bsts = append(x.bsts, c)
		case is(c, NamespaceDS, "Signature"):
			if x.sig != nil {
				return fail(InvalidSecurity, "the wsse:Security header has more than one ds:Signature; only one is verified here")
			}
			x.sig = c
		case c.NamespaceURI() == NamespaceXENC:
			return fail(InvalidSecurity, "the wsse:Security header carries encrypted data (<%s>); XML encryption is not supported here", c.FullTag())
		}
	}
	return nil
}

// timestamp checks the Timestamp's window.
func (x *verification) timestamp() error {
	created, err := single(x.ts, NamespaceWSU, "Created", "wsu:Timestamp", true)
	if err != nil {
		return err
	}
	expires, err := single(x.ts, NamespaceWSU, "Expires", "wsu:Timestamp", false)
	if err != nil {
		return err
	}
	c, err := x.w.checkCreated("the timestamp's", text(created))
	if err != nil {
		return err
	}
	x.res.Created = c
	if expires != nil {
		t, err := x.w.checkExpires(text(expires), c)
		if err != nil {
			return err
		}
		x.res.Expires = t
	}
	return nil
}

// usernameToken authenticates the UsernameToken.
func (x *verification) usernameToken(ctx context.Context) error {
	p := &x.v.p
	const what = "wsse:UsernameToken"
	userEl, err := single(x.ut, NamespaceWSSE, "Username", what, true)
	if err != nil {
		return err
	}
	pwEl, err := single(x.ut, NamespaceWSSE, "Password", what, false)
	if err != nil {
		return err
	}
	nonceEl, err := single(x.ut, NamespaceWSSE, "Nonce", what, false)
	if err != nil {
		return err
	}
	createdEl, err := single(x.ut, NamespaceWSU, "Created", what, false)
	if err != nil {
		return err
	}
	user := text(userEl)
	if pwEl == nil {
		return fail(FailedAuthentication, "the UsernameToken of %q has no password", user)
	}
	typ, _ := attr(pwEl, "Type")
	digest := false
	switch typ {
	case "", PasswordTextType:
	case PasswordDigestType:
		digest = true
	default:
		return fail(InvalidSecurity, "the UsernameToken's password Type %q is not PasswordText or PasswordDigest", typ)
	}
	if p.RequirePasswordDigest && !digest {
		return fail(InvalidSecurity, "the UsernameToken of %q sends its password in clear; the policy requires PasswordDigest", user)
	}
	var nonce []byte
	if nonceEl != nil {
		if enc, ok := attr(nonceEl, "EncodingType"); ok && enc != Base64BinaryEncoding {
			return fail(InvalidSecurity, "the UsernameToken's Nonce EncodingType %q is not Base64Binary", enc)
		}
		if nonce, err = decodeBase64(text(nonceEl)); err != nil || len(nonce) == 0 {
			return fail(InvalidSecurity, "the UsernameToken's Nonce is not base64")
		}
	}
	var createdText string
	var created time.Time
	if createdEl != nil {
		createdText = text(createdEl)
		if created, err = x.w.checkCreated("the UsernameToken's", createdText); err != nil {
			return err
		}
		if x.res.Created.IsZero() {
			x.res.Created = created
		}
	}
	if digest && (nonce == nil || createdEl == nil) {
		return fail(InvalidSecurity, "the PasswordDigest of %q comes without a Nonce and a Created time, so it could be replayed forever", user)
	}
	if p.Password == nil {
		return fail(FailedAuthentication, "a UsernameToken (%q) arrived, but no Password callback is configured to check it", user)
	}
	want, err := p.Password(ctx, user)
	if err != nil {
		return fail(FailedAuthentication, "user %q: %v", user, err)
	}
	got := text(pwEl)
	if digest {
		want = PasswordDigest(nonce, createdText, want)
	}
	wh, gh := sha256.Sum256([]byte(want)), sha256.Sum256([]byte(got))
	if subtle.ConstantTimeCompare(wh[:], gh[:]) != 1 {
		return fail(FailedAuthentication, "wrong password for user %q", user)
	}
	x.res.Username = user
	if nonce != nil {
		until := x.w.until(x.w.now)
		if createdEl != nil {
			until = x.w.until(created)
		}
		x.replays = append(x.replays, replayEntry{key: "ut\x00" + user + "\x00" + string(nonce), until: until})
	}
	return nil
}

// single returns the one child ns:local of el, nil when it is optional
// and absent.
func single(el *etree.Element, ns, local, what string, required bool) (*etree.Element, error) {
	var found *etree.Element
	for _, c := range el.ChildElements() {
		if !is(c, ns, local) {
			continue
		}
		if found != nil {
			return nil, fail(InvalidSecurity, "%s has more than one %s", what, local)
		}
		found = c
	}
	if found == nil && required {
		return nil, fail(InvalidSecurity, "%s has no %s", what, local)
	}
	return found, nil
}

// decodeBase64 decodes base64 text that may be broken into lines.
func decodeBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, " \t\r\n") {
		s = strings.Map(func(r rune) rune {
			switch r {
			case ' ', '\t', '\r', '\n':
				return -1
			}
			return r
		}, s)
	}
	return base64.StdEncoding.DecodeString(s)
}

// partName names a signed element for Result.Signed.
func (x *verification) partName(el *etree.Element) string {
	switch el {
	case x.e.body:
		return "Body"
	case x.ts:
		return "Timestamp"
	case x.ut:
		return "UsernameToken"
	}
	for _, b := range x.bsts {
		if el == b {
			return "BinarySecurityToken"
		}
	}
	return "{" + el.NamespaceURI() + "}" + el.Tag
}

// parseToken parses a BinarySecurityToken's X.509 certificate.
func parseToken(bst *etree.Element) (*x509.Certificate, error) {
	if vt, _ := attr(bst, "ValueType"); vt != X509v3ValueType {
		return nil, fail(InvalidSecurityToken, "the BinarySecurityToken's ValueType %q is not X509v3", vt)
	}
	if enc, ok := attr(bst, "EncodingType"); ok && enc != Base64BinaryEncoding {
		return nil, fail(InvalidSecurityToken, "the BinarySecurityToken's EncodingType %q is not Base64Binary", enc)
	}
	return parseCert(text(bst))
}

// parseCert parses a base64 DER certificate.
func parseCert(s string) (*x509.Certificate, error) {
	der, err := decodeBase64(s)
	if err != nil {
		return nil, fail(InvalidSecurityToken, "the certificate is not base64")
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fail(InvalidSecurityToken, "the certificate does not parse: %v", err)
	}
	return c, nil
}
