package security

import (
	"encoding/base64"
	"encoding/binary"
	"strings"
	"sync"
	"time"

	"github.com/jcmturner/gofork/encoding/asn1"
	"github.com/jcmturner/gokrb5/v8/asn1tools"
	"github.com/jcmturner/gokrb5/v8/client"
	krbcrypto "github.com/jcmturner/gokrb5/v8/crypto"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/chksumtype"
	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/iana/flags"
	"github.com/jcmturner/gokrb5/v8/iana/keyusage"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/jcmturner/gokrb5/v8/types"

	"github.com/wsgo/wsgo/errors"
)

// negotiateState is where a Negotiate handshake stands.
type negotiateState int

const (
	negotiateStart    negotiateState = iota // nothing sent
	negotiateSent                           // NegTokenInit with the AP-REQ sent
	negotiateRejected                       // the server refused it
	negotiateDone                           // the server's AP-REP checked
)

// tokAPReq is the krb5 GSS-API token ID of an AP-REQ (RFC 4121 §4.1).
var tokAPReq = []byte{0x01, 0x00}

// negotiateSession is SPNEGO with Kerberos over HTTP (RFC 4559, RFC 4178,
// RFC 4121) for one handshake on one connection, with gokrb5 for the
// tickets. It sends a NegTokenInit carrying an optimistic krb5 AP-REQ with
// mutual authentication required and, over TLS, tls-server-end-point
// channel bindings in the authenticator checksum; the server's final
// NegTokenResp must be accept-completed and its AP-REP must decrypt with
// the session key and echo the authenticator's time.
type negotiateSession struct {
	target Target
	src    krbSource
	spn    string // Kerberos.SPN; empty derives "HTTP/" + host
	// auth lends the Kerberos login; nil (package NewSession): the
	// session logs in for its ticket and destroys the login at once.
	auth *Authenticator

	mu    sync.Mutex
	state negotiateState
	// key, ctime and cusec are the ticket session key and the
	// authenticator's time, which the AP-REP must echo.
	key   types.EncryptionKey
	ctime time.Time
	cusec int
}

func newNegotiate(target Target, cred Credentials) (*negotiateSession, error) {
	for _, f := range []struct{ what, v string }{{"user name", cred.Username}, {"domain", cred.Domain}, {"password", cred.Password}} {
		if err := checkCredentialText(Negotiate, f.what, f.v); err != nil {
			return nil, err
		}
	}
	src, err := krbSourceOf(target, cred)
	if err != nil {
		return nil, err
	}
	s := &negotiateSession{target: target, src: src}
	if cred.Kerberos != nil {
		s.spn = cred.Kerberos.SPN
	}
	return s, nil
}

// Scheme returns Negotiate.
func (s *negotiateSession) Scheme() Scheme { return Negotiate }

// String names the scheme, target and principal, never the password.
func (s *negotiateSession) String() string {
	return "Negotiate session for the " + s.target.String() + " as " + s.src.principal()
}

// spnFor returns the service principal for req: Kerberos.SPN, or
// "HTTP/" + the host name, as WWSAPI and browsers derive it.
func (s *negotiateSession) spnFor(req *Request) (string, error) {
	if s.spn != "" {
		return s.spn, nil
	}
	host := strings.TrimSuffix(strings.ToLower(req.Host), ".")
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.Contains(h, "]") && strings.Count(host, ":") == 1 {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "" {
		return "", errors.Errorf(errors.InvalidArgument,
			"Negotiate for the %v: no host name to build the service principal from (Request.Host is empty; set Kerberos.SPN)", s.target)
	}
	return "HTTP/" + host, nil
}

// Authorize returns "Negotiate <token>": for ch nil or a challenge
// without a token, a NegTokenInit with a krb5 AP-REQ for the service
// principal. A challenge after that means the server did not accept it:
// RFC 4559 has no further Kerberos round, so a reject, a bare challenge or
// an accept-completed token on a 401 are rejections, and a continuation
// token (a KRB-ERROR, or another mechanism) is an error.
func (s *negotiateSession) Authorize(req *Request, ch *Challenge) (string, error) {
	if req == nil {
		return "", errors.Errorf(errors.InvalidArgument, "Negotiate Authorize needs the request")
	}
	if ch != nil && ch.Scheme != Negotiate {
		return "", wrongChallenge(Negotiate, ch)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case negotiateSent, negotiateRejected, negotiateDone:
		if ch == nil || ch.Token == "" {
			s.state = negotiateRejected
			return "", rejected(s.target, "the %v rejected the Kerberos ticket of %s: it answered with a new Negotiate challenge",
				s.target, s.src.principal())
		}
		return "", s.continuation(ch.Token)
	}
	if ch != nil && ch.Token != "" {
		return "", errors.Errorf(errors.InvalidOperation,
			"the %v sent a Negotiate continuation token before this session sent its first token", s.target)
	}
	tok, err := s.initToken(req)
	if err != nil {
		return "", err
	}
	s.state = negotiateSent
	return "Negotiate " + base64.StdEncoding.EncodeToString(tok), nil
}

// continuation explains a token the server sent with a 401 or 407.
func (s *negotiateSession) continuation(token string) error {
	state, mech, err := parseNegotiateToken(token)
	if err != nil {
		return errors.Errorf(errors.InvalidFormat, "the %v sent a bad Negotiate token: %w", s.target, err)
	}
	switch {
	case state == spnego.NegStateReject:
		s.state = negotiateRejected
		return rejected(s.target, "the %v rejected the Kerberos ticket of %s (SPNEGO reject)", s.target, s.src.principal())
	case mech != nil && mech.IsKRBError():
		s.state = negotiateRejected
		code := mech.KRBError.ErrorCode
		if code == errorcode.KRB_AP_ERR_SKEW {
			return errors.Errorf(errors.SecuritySystemFailure,
				"the %v refused the Kerberos ticket of %s: the clocks of this host and the server differ too much (KRB_AP_ERR_SKEW)",
				s.target, s.src.principal())
		}
		return rejected(s.target, "the %v refused the Kerberos ticket of %s: %s", s.target, s.src.principal(), errorcode.Lookup(code))
	case state == spnego.NegStateAcceptCompleted:
		s.state = negotiateRejected
		return rejected(s.target, "the %v accepted the Kerberos ticket of %s but still refused the request (not authorized)",
			s.target, s.src.principal())
	}
	return errors.Errorf(errors.NotSupported,
		"the %v asked for another Negotiate round (negState %d): RFC 4559 Kerberos has none, and wsgo does not do NTLM inside SPNEGO; allow NTLM instead",
		s.target, state)
}

// Complete checks the server's final token, when there is one: SPNEGO
// accept-completed with a krb5 AP-REP that decrypts with the session key
// and echoes the authenticator's time (mutual authentication, RFC 4121
// §4.1). Many servers send no final token although mutual authentication
// was requested; Complete accepts that, so such a response is not
// mutually authenticated.
func (s *negotiateSession) Complete(req *Request, ch *Challenge) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch == nil || ch.Token == "" || s.state != negotiateSent {
		return nil
	}
	if ch.Scheme != Negotiate {
		return wrongChallenge(Negotiate, ch)
	}
	fail := func(format string, args ...any) error {
		return errors.Errorf(errors.SecurityVerificationFailure,
			"the %v's Negotiate mutual authentication failed: "+format, append([]any{s.target}, args...)...)
	}
	state, mech, err := parseNegotiateToken(ch.Token)
	if err != nil {
		return fail("%v", err)
	}
	if state != spnego.NegStateAcceptCompleted {
		return fail("negState %d, want accept-completed", state)
	}
	if mech == nil {
		// accept-completed without a mechanism token: nothing to verify.
		s.state = negotiateDone
		return nil
	}
	if !mech.IsAPRep() {
		return fail("the final token is not an AP-REP")
	}
	plain, err := krbcrypto.DecryptEncPart(mech.APRep.EncPart, s.key, keyusage.AP_REP_ENCPART)
	if err != nil {
		return fail("the AP-REP does not decrypt with the session key: %v", err)
	}
	var part messages.EncAPRepPart
	if err := part.Unmarshal(plain); err != nil {
		return fail("the AP-REP's encrypted part: %v", err)
	}
	if part.CTime.Unix() != s.ctime.Unix() || part.Cusec != s.cusec {
		return fail("the AP-REP's time %v.%06d is not the authenticator's %v.%06d",
			part.CTime.UTC(), part.Cusec, s.ctime.UTC().Truncate(time.Second), s.cusec)
	}
	s.state = negotiateDone
	return nil
}

// initToken gets a service ticket and builds the NegTokenInit.
func (s *negotiateSession) initToken(req *Request) ([]byte, error) {
	spn, err := s.spnFor(req)
	if err != nil {
		return nil, err
	}
	var bindings []byte
	if req.TLS != nil {
		ep, err := tlsServerEndPoint(req)
		if err != nil {
			return nil, err
		}
		bindings = ntlmChannelBindingHash(ep)
	}
	cl, release, err := s.login()
	if err != nil {
		return nil, err
	}
	defer release()
	tkt, key, err := cl.GetServiceTicket(spn)
	if err != nil {
		return nil, kdcError(s.target, s.src.principal()+" (ticket for "+spn+")", cl.Config, cl.Credentials.Domain(), err)
	}
	tok, auth, err := negTokenInit(cl.Credentials.CName(), cl.Credentials.Domain(), tkt, key, bindings)
	if err != nil {
		return nil, err
	}
	s.key, s.ctime, s.cusec = key, auth.CTime, auth.Cusec
	return tok, nil
}

// login returns a logged-in Kerberos client and the function to call
// once the ticket is obtained: the Authenticator's shared login, or a
// login of the session's own that release destroys.
func (s *negotiateSession) login() (*client.Client, func(), error) {
	if s.auth != nil {
		return s.auth.login(s.src)
	}
	cl, err := newKrbClient(s.target, s.src)
	if err != nil {
		return nil, nil, err
	}
	return cl, cl.Destroy, nil
}

// negTokenInit builds the SPNEGO NegTokenInit (RFC 4178 §4.2.1) wrapping a
// krb5 AP-REQ token (RFC 4121 §4.1) for tkt, with mutual authentication
// required and bindings (16 bytes, the MD5 of the channel bindings, or
// nil) in the authenticator checksum.
func negTokenInit(cname types.PrincipalName, crealm string, tkt messages.Ticket, key types.EncryptionKey, bindings []byte) ([]byte, types.Authenticator, error) {
	auth, err := types.NewAuthenticator(crealm, cname)
	if err != nil {
		return nil, auth, errors.Errorf(errors.SecuritySystemFailure, "Negotiate: building the authenticator: %v", err)
	}
	// RFC 4121 §4.1.1: Lgth, Bnd, Flags.
	cksum := make([]byte, 24)
	binary.LittleEndian.PutUint32(cksum, 16)
	copy(cksum[4:20], bindings)
	binary.LittleEndian.PutUint32(cksum[20:], gssapi.ContextFlagMutual|gssapi.ContextFlagInteg|gssapi.ContextFlagConf)
	auth.Cksum = types.Checksum{CksumType: chksumtype.GSSAPI, Checksum: cksum}

	apreq, err := messages.NewAPReq(tkt, key, auth)
	if err != nil {
		return nil, auth, errors.Errorf(errors.SecuritySystemFailure, "Negotiate: building the AP-REQ: %v", err)
	}
	types.SetFlag(&apreq.APOptions, flags.APOptionMutualRequired)
	ap, err := apreq.Marshal()
	if err != nil {
		return nil, auth, errors.Errorf(errors.SecuritySystemFailure, "Negotiate: encoding the AP-REQ: %v", err)
	}
	oid, _ := asn1.Marshal(gssapi.OIDKRB5.OID())
	mech := append(append(oid, tokAPReq...), ap...)
	init := spnego.SPNEGOToken{Init: true, NegTokenInit: spnego.NegTokenInit{
		MechTypes:      []asn1.ObjectIdentifier{gssapi.OIDKRB5.OID()},
		MechTokenBytes: asn1tools.AddASNAppTag(mech, 0),
	}}
	tok, err := init.Marshal()
	if err != nil {
		return nil, auth, errors.Errorf(errors.SecuritySystemFailure, "Negotiate: encoding the NegTokenInit: %v", err)
	}
	return tok, auth, nil
}

// parseNegotiateToken reads a server's Negotiate token: a NegTokenResp
// (RFC 4178 §4.2.2) or, from servers that answer in the raw mechanism, a
// krb5 token. It returns the negotiation state and the krb5 token inside,
// if any.
func parseNegotiateToken(token string) (spnego.NegState, *spnego.KRB5Token, error) {
	b, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return 0, nil, errors.Errorf(errors.InvalidFormat, "not base64: %v", err)
	}
	if len(b) == 0 {
		return 0, nil, errors.Errorf(errors.InvalidFormat, "empty token")
	}
	if b[0] == 0x60 { // [APPLICATION 0]: a bare krb5 token
		mech, err := parseKRB5Token(b)
		if err != nil {
			return 0, nil, err
		}
		state := spnego.NegStateAcceptIncomplete
		if mech.IsAPRep() {
			state = spnego.NegStateAcceptCompleted
		}
		return state, mech, nil
	}
	isInit, v, err := spnego.UnmarshalNegToken(b)
	if err != nil {
		return 0, nil, errors.Errorf(errors.InvalidFormat, "not a SPNEGO token: %v", err)
	}
	if isInit {
		return 0, nil, errors.Errorf(errors.InvalidFormat, "a NegTokenInit where a NegTokenResp belongs")
	}
	resp := v.(spnego.NegTokenResp)
	state := spnego.NegState(resp.NegState)
	if len(resp.SupportedMech) > 0 && !resp.SupportedMech.Equal(gssapi.OIDKRB5.OID()) && !resp.SupportedMech.Equal(gssapi.OIDMSLegacyKRB5.OID()) {
		if state == spnego.NegStateReject {
			return state, nil, nil
		}
		return 0, nil, errors.Errorf(errors.NotSupported, "the server chose mechanism %v, not Kerberos", resp.SupportedMech)
	}
	if len(resp.ResponseToken) == 0 {
		return state, nil, nil
	}
	mech, err := parseKRB5Token(resp.ResponseToken)
	if err != nil {
		return 0, nil, err
	}
	return state, mech, nil
}

func parseKRB5Token(b []byte) (*spnego.KRB5Token, error) {
	var mech spnego.KRB5Token
	if err := mech.Unmarshal(b); err != nil {
		return nil, errors.Errorf(errors.InvalidFormat, "bad krb5 token: %v", err)
	}
	if !mech.IsAPRep() && !mech.IsKRBError() {
		return nil, errors.Errorf(errors.InvalidFormat, "krb5 token is neither an AP-REP nor a KRB-ERROR")
	}
	return &mech, nil
}
