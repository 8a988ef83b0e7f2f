package security

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/md5"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"sync"
	"unicode/utf16"

	ntlmssp "github.com/Azure/go-ntlmssp"
	//lint:ignore SA1019 NTOWFv2 is defined over MD4 (MS-NLMP §3.3.2); NTLM cannot do without it.
	"golang.org/x/crypto/md4"

	"github.com/wsgo/wsgo/errors"
)

// NTLM message layout (MS-NLMP §2.2.1) and the pieces wsgo adds to what
// github.com/Azure/go-ntlmssp builds.
const (
	ntlmSignature = "NTLMSSP\x00"

	ntlmFlagUnicode         = 0x00000001
	ntlmFlagRequestTarget   = 0x00000004
	ntlmFlagVersion         = 0x02000000 // NTLMSSP_NEGOTIATE_VERSION
	ntlmNegotiateTargetInfo = 0x00800000 // NTLMSSP_NEGOTIATE_TARGET_INFO

	avEOL             = 0x0000
	avFlags           = 0x0006
	avTimestamp       = 0x0007
	avTargetName      = 0x0009
	avChannelBindings = 0x000A

	avFlagMICPresent = 0x00000002

	ntlmChallengeFixed = 48 // CHALLENGE_MESSAGE up to TargetInfoFields
	ntlmAuthFixed      = 64 // AUTHENTICATE_MESSAGE up to NegotiateFlags
	ntlmAuthWithMIC    = ntlmAuthFixed + 8 + 16
)

// ntlmState is where an NTLM handshake stands.
type ntlmState int

const (
	ntlmStart         ntlmState = iota // nothing sent
	ntlmNegotiateSent                  // NEGOTIATE sent, CHALLENGE expected
	ntlmAuthSent                       // AUTHENTICATE sent
)

// ntlmSession is NTLMv2 (MS-NLMP) for one handshake on one connection,
// over github.com/Azure/go-ntlmssp. wsgo completes that library's
// messages to the letter of MS-NLMP: the NEGOTIATE_MESSAGE's Version field
// with its flag, the client's AV pairs with MsvAvTargetName,
// MsvAvChannelBindings (tls-server-end-point) and MsvAvFlags, and an
// AUTHENTICATE_MESSAGE with Version and MIC.
type ntlmSession struct {
	target      Target
	user        string // as go-ntlmssp splits it: "DOMAIN\user" or "user@domain"
	password    string
	workstation string
	spn         string // MsvAvTargetName; empty derives "HTTP/" + host

	mu        sync.Mutex
	state     ntlmState
	word      string // the scheme word the server used: "NTLM" or "Negotiate"
	negotiate []byte // the NEGOTIATE_MESSAGE sent, for the MIC
}

func newNTLM(target Target, cred Credentials) (*ntlmSession, error) {
	if err := checkUserPassword(NTLM, target, cred); err != nil {
		return nil, err
	}
	if err := checkCredentialText(NTLM, "workstation", cred.Workstation); err != nil {
		return nil, err
	}
	user := cred.Username
	if cred.Domain != "" && !strings.ContainsAny(user, `\@`) {
		user = cred.Domain + `\` + user
	}
	s := &ntlmSession{target: target, user: user, password: cred.Password, workstation: cred.Workstation, word: "NTLM"}
	if cred.Kerberos != nil {
		s.spn = cred.Kerberos.SPN
	}
	return s, nil
}

// Scheme returns NTLM.
func (s *ntlmSession) Scheme() Scheme { return NTLM }

// Authorize returns "NTLM <NEGOTIATE_MESSAGE>" for ch nil or a challenge
// without a token, and "NTLM <AUTHENTICATE_MESSAGE>" for the server's
// CHALLENGE_MESSAGE. A server that offered raw NTLM under the Negotiate
// scheme is answered under that word. A challenge after the
// AUTHENTICATE_MESSAGE means the credentials were rejected.
func (s *ntlmSession) Authorize(req *Request, ch *Challenge) (string, error) {
	if req == nil {
		return "", errors.Errorf(errors.InvalidArgument, "NTLM Authorize needs the request")
	}
	if ch != nil && ch.Scheme != NTLM && ch.Scheme != Negotiate {
		return "", wrongChallenge(NTLM, ch)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == ntlmAuthSent {
		why := "a new challenge"
		if ch != nil && ch.Token != "" {
			why = "another CHALLENGE_MESSAGE"
		}
		return "", rejected(s.target, "the %v rejected NTLM credentials for user %q: it answered the AUTHENTICATE_MESSAGE with %s",
			s.target, s.user, why)
	}
	if ch != nil && ch.Scheme == Negotiate {
		s.word = "Negotiate"
	} else if ch != nil {
		s.word = "NTLM"
	}
	if ch == nil || ch.Token == "" {
		if s.state == ntlmNegotiateSent {
			return "", rejected(s.target,
				"the %v answered the NTLM NEGOTIATE_MESSAGE for user %q with a new challenge instead of a CHALLENGE_MESSAGE (was the handshake moved to another connection?)",
				s.target, s.user)
		}
		msg, err := ntlmNegotiateMessage()
		if err != nil {
			return "", err
		}
		s.negotiate = msg
		s.state = ntlmNegotiateSent
		return s.word + " " + base64.StdEncoding.EncodeToString(msg), nil
	}
	challenge, err := base64.StdEncoding.DecodeString(ch.Token)
	if err != nil {
		return "", errors.Errorf(errors.InvalidFormat, "the %v sent an NTLM challenge that is not base64: %v", s.target, err)
	}
	if s.negotiate == nil {
		// A CHALLENGE_MESSAGE for a NEGOTIATE_MESSAGE this session did
		// not send: the MIC would cover a message the server never saw.
		return "", errors.Errorf(errors.InvalidOperation,
			"the %v sent an NTLM CHALLENGE_MESSAGE before this session sent its NEGOTIATE_MESSAGE", s.target)
	}
	auth, err := s.authenticate(req, challenge)
	if err != nil {
		return "", err
	}
	s.state = ntlmAuthSent
	return s.word + " " + base64.StdEncoding.EncodeToString(auth), nil
}

// Complete has nothing to check: NTLM over HTTP has no final token.
func (s *ntlmSession) Complete(req *Request, ch *Challenge) error { return nil }

// String names the scheme, target and user, never the password.
func (s *ntlmSession) String() string {
	return "NTLM session for the " + s.target.String() + " as " + s.user
}

// ntlmVersion is the Version structure (MS-NLMP §2.2.2.10) wsgo sends:
// go-ntlmssp's default (6.1.7601, NTLMSSP_REVISION_W2K3).
func ntlmVersion() []byte {
	v := ntlmssp.DefaultVersion()
	b := make([]byte, 8)
	b[0] = v.ProductMajorVersion
	b[1] = v.ProductMinorVersion
	binary.LittleEndian.PutUint16(b[2:], v.ProductBuild)
	b[7] = v.NTLMRevisionCurrent
	return b
}

// ntlmNegotiateMessage returns go-ntlmssp's NEGOTIATE_MESSAGE with
// NTLMSSP_NEGOTIATE_VERSION set, since that library writes the Version
// field but not its flag, and NTLMSSP_REQUEST_TARGET as Windows clients
// send it.
func ntlmNegotiateMessage() ([]byte, error) {
	msg, err := ntlmssp.NewNegotiateMessage("", "")
	if err != nil {
		return nil, errors.Errorf(errors.SecuritySystemFailure, "NTLM: building the NEGOTIATE_MESSAGE: %w", err)
	}
	if len(msg) < 40 || string(msg[:8]) != ntlmSignature {
		return nil, errors.Errorf(errors.SecuritySystemFailure, "NTLM: go-ntlmssp built a %d-byte NEGOTIATE_MESSAGE, want 40 with Version", len(msg))
	}
	flags := binary.LittleEndian.Uint32(msg[12:])
	binary.LittleEndian.PutUint32(msg[12:], flags|ntlmFlagVersion|ntlmFlagRequestTarget)
	return msg, nil
}

// ntlmChallenge is the part of a CHALLENGE_MESSAGE wsgo reads.
type ntlmChallenge struct {
	flags           uint32
	serverChallenge []byte
	targetName      []byte
	targetInfo      []ntlmAVPair // without MsvAvEOL
}

// ntlmAVPair is one AV_PAIR (MS-NLMP §2.2.2.1).
type ntlmAVPair struct {
	id    uint16
	value []byte
}

// ntlmField reads a (Len, MaxLen, Offset) field at off and returns its
// payload.
func ntlmField(msg []byte, off int, what string) ([]byte, error) {
	if off+8 > len(msg) {
		return nil, errors.Errorf(errors.InvalidFormat, "NTLM message too short for its %s field", what)
	}
	n := int(binary.LittleEndian.Uint16(msg[off:]))
	start := int(binary.LittleEndian.Uint32(msg[off+4:]))
	if n == 0 {
		return nil, nil
	}
	if start < 0 || start > len(msg) || n > len(msg)-start {
		return nil, errors.Errorf(errors.InvalidFormat, "NTLM %s field (%d bytes at %d) runs past the %d-byte message", what, n, start, len(msg))
	}
	return msg[start : start+n], nil
}

// parseNTLMChallenge reads a CHALLENGE_MESSAGE (MS-NLMP §2.2.1.2).
func parseNTLMChallenge(msg []byte) (*ntlmChallenge, error) {
	if len(msg) < ntlmChallengeFixed || string(msg[:8]) != ntlmSignature || binary.LittleEndian.Uint32(msg[8:]) != 2 {
		return nil, errors.Errorf(errors.InvalidFormat, "not an NTLM CHALLENGE_MESSAGE (%d bytes)", len(msg))
	}
	c := &ntlmChallenge{flags: binary.LittleEndian.Uint32(msg[20:]), serverChallenge: msg[24:32]}
	// TargetName only informs (no response is computed from it), and a
	// server need not fill its field without NTLMSSP_REQUEST_TARGET:
	// squid's ntlm_fake_auth leaves garbage there. A field that does not
	// fit is taken as empty rather than failing the handshake.
	if name, err := ntlmField(msg, 12, "TargetName"); err == nil {
		c.targetName = name
	}
	// TargetInfo is valid only with NTLMSSP_NEGOTIATE_TARGET_INFO
	// (MS-NLMP §2.2.1.2); without it the fields are to be ignored. A
	// field that does not fit in the message is ignored too, as curl
	// does: ntlm_fake_auth's 49-byte CHALLENGE sets the flag over random
	// bytes. The NTLMv2 response then carries only the client's own AV
	// pairs, which a real server that sent none expects anyway.
	if c.flags&ntlmNegotiateTargetInfo == 0 {
		return c, nil
	}
	info, err := ntlmField(msg, 40, "TargetInfo")
	if err != nil {
		return c, nil
	}
	if c.targetInfo, err = parseAVPairs(info); err != nil {
		return nil, err
	}
	return c, nil
}

// parseAVPairs reads an AV_PAIR list up to MsvAvEOL.
func parseAVPairs(b []byte) ([]ntlmAVPair, error) {
	var pairs []ntlmAVPair
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, errors.Errorf(errors.InvalidFormat, "NTLM TargetInfo: truncated AV_PAIR")
		}
		id, n := binary.LittleEndian.Uint16(b), int(binary.LittleEndian.Uint16(b[2:]))
		if id == avEOL {
			return pairs, nil
		}
		if 4+n > len(b) {
			return nil, errors.Errorf(errors.InvalidFormat, "NTLM TargetInfo: AV_PAIR 0x%04x of %d bytes runs past the list", id, n)
		}
		pairs = append(pairs, ntlmAVPair{id, b[4 : 4+n]})
		b = b[4+n:]
	}
	return nil, errors.Errorf(errors.InvalidFormat, "NTLM TargetInfo: no MsvAvEOL")
}

// marshalAVPairs writes pairs and MsvAvEOL.
func marshalAVPairs(pairs []ntlmAVPair) []byte {
	var b []byte
	for _, p := range pairs {
		b = binary.LittleEndian.AppendUint16(b, p.id)
		b = binary.LittleEndian.AppendUint16(b, uint16(len(p.value)))
		b = append(b, p.value...)
	}
	return append(b, 0, 0, 0, 0)
}

// find returns the value of the pair with id, or nil.
func findAV(pairs []ntlmAVPair, id uint16) []byte {
	for _, p := range pairs {
		if p.id == id {
			return p.value
		}
	}
	return nil
}

// authenticate builds the AUTHENTICATE_MESSAGE for a server CHALLENGE.
func (s *ntlmSession) authenticate(req *Request, challenge []byte) ([]byte, error) {
	c, err := parseNTLMChallenge(challenge)
	if err != nil {
		return nil, errors.Errorf(errors.InvalidFormat, "the %v sent a bad NTLM challenge: %w", s.target, err)
	}
	if c.flags&ntlmFlagUnicode == 0 {
		return nil, errors.Errorf(errors.NotSupported, "the %v's NTLM challenge does not offer Unicode, which NTLMv2 needs", s.target)
	}
	withMIC := len(c.targetInfo) > 0
	client, err := s.clientTargetInfo(req, c.targetInfo)
	if err != nil {
		return nil, err
	}
	patched := rewriteTargetInfo(challenge, c.targetName, client)

	opts := &ntlmssp.AuthenticateMessageOptions{WorkstationName: s.workstation}
	raw, err := ntlmssp.NewAuthenticateMessage(patched, s.user, s.password, opts)
	if err != nil {
		return nil, errors.Errorf(errors.NotSupported, "NTLM: answering the %v's challenge: %w", s.target, err)
	}
	am, err := parseNTLMAuthenticate(raw)
	if err != nil {
		return nil, errors.Errorf(errors.SecuritySystemFailure, "NTLM: go-ntlmssp's AUTHENTICATE_MESSAGE: %w", err)
	}
	user, domain := ntlmSplitUser(s.user)
	responseKey := ntowfv2(s.password, user, domain)
	if withMIC && am.lm == nil {
		// MS-NLMP §3.3.2: with MsvAvTimestamp the client sends Z(24) as
		// LmChallengeResponse, otherwise LMv2, which go-ntlmssp leaves
		// out whenever there is a TargetInfo.
		if findAV(c.targetInfo, avTimestamp) != nil {
			am.lm = make([]byte, 24)
		} else if len(am.nt) >= 40 {
			clientChallenge := am.nt[32:40] // after NTProofStr, RespType..Reserved2 and TimeStamp
			am.lm = append(hmacMD5(responseKey, c.serverChallenge, clientChallenge), clientChallenge...)
		}
	}
	out := am.marshal(withMIC)
	if withMIC {
		key := ntlmSessionBaseKey(responseKey, am.nt)
		mic := hmacMD5(key, s.negotiate, challenge, out)
		copy(out[ntlmAuthFixed+8:], mic)
	}
	return out, nil
}

// clientTargetInfo is the server's TargetInfo with what the client adds
// (MS-NLMP §3.1.5.1.2): MsvAvFlags with the MIC bit, MsvAvTargetName and,
// over TLS, MsvAvChannelBindings.
func (s *ntlmSession) clientTargetInfo(req *Request, server []ntlmAVPair) ([]ntlmAVPair, error) {
	if len(server) == 0 {
		return nil, nil
	}
	var pairs []ntlmAVPair
	var avflags uint32
	for _, p := range server {
		switch p.id {
		case avFlags:
			if len(p.value) == 4 {
				avflags = binary.LittleEndian.Uint32(p.value)
			}
		case avTargetName, avChannelBindings:
			// The client's own values replace any the server sent.
		default:
			pairs = append(pairs, p)
		}
	}
	pairs = append(pairs, ntlmAVPair{avFlags, binary.LittleEndian.AppendUint32(nil, avflags|avFlagMICPresent)})
	spn := s.spn
	if spn == "" && req.Host != "" {
		spn = "HTTP/" + req.Host
	}
	if spn != "" {
		pairs = append(pairs, ntlmAVPair{avTargetName, utf16LE(spn)})
	}
	if req.TLS != nil {
		cb, err := tlsServerEndPoint(req)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, ntlmAVPair{avChannelBindings, ntlmChannelBindingHash(cb)})
	}
	return pairs, nil
}

// rewriteTargetInfo returns a copy of the CHALLENGE_MESSAGE msg rebuilt
// from what parseNTLMChallenge accepted: the TargetName kept, the
// TargetInfo replaced by pairs (none when pairs is nil), payloads laid out
// after the fixed part and the Version field. Fields parseNTLMChallenge
// ignored as malformed are thereby cleared before go-ntlmssp reads them.
func rewriteTargetInfo(msg, targetName []byte, pairs []ntlmAVPair) []byte {
	fixed := ntlmChallengeFixed
	flags := binary.LittleEndian.Uint32(msg[20:])
	if flags&ntlmFlagVersion != 0 {
		if len(msg) >= fixed+8 {
			fixed += 8
		} else {
			flags &^= ntlmFlagVersion // no room for the Version it announces
		}
	}
	var info []byte
	if pairs != nil {
		info = marshalAVPairs(pairs)
	} else {
		flags &^= ntlmNegotiateTargetInfo
	}
	out := make([]byte, fixed, fixed+len(targetName)+len(info))
	copy(out, msg[:fixed])
	binary.LittleEndian.PutUint32(out[20:], flags)
	putNTLMField(out, 12, len(out), len(targetName))
	out = append(out, targetName...)
	putNTLMField(out, 40, len(out), len(info))
	return append(out, info...)
}

func putNTLMField(msg []byte, off, start, n int) {
	binary.LittleEndian.PutUint16(msg[off:], uint16(n))
	binary.LittleEndian.PutUint16(msg[off+2:], uint16(n))
	binary.LittleEndian.PutUint32(msg[off+4:], uint32(start))
}

// ntlmAuthenticate is an AUTHENTICATE_MESSAGE's content.
type ntlmAuthenticate struct {
	lm, nt, domain, user, workstation, sessionKey []byte
	flags                                         uint32
}

// parseNTLMAuthenticate reads an AUTHENTICATE_MESSAGE (MS-NLMP §2.2.1.3).
func parseNTLMAuthenticate(msg []byte) (*ntlmAuthenticate, error) {
	if len(msg) < ntlmAuthFixed || string(msg[:8]) != ntlmSignature || binary.LittleEndian.Uint32(msg[8:]) != 3 {
		return nil, errors.Errorf(errors.InvalidFormat, "not an NTLM AUTHENTICATE_MESSAGE (%d bytes)", len(msg))
	}
	a := &ntlmAuthenticate{flags: binary.LittleEndian.Uint32(msg[60:])}
	for _, f := range []struct {
		off  int
		name string
		dst  *[]byte
	}{
		{12, "LmChallengeResponse", &a.lm},
		{20, "NtChallengeResponse", &a.nt},
		{28, "DomainName", &a.domain},
		{36, "UserName", &a.user},
		{44, "Workstation", &a.workstation},
		{52, "EncryptedRandomSessionKey", &a.sessionKey},
	} {
		v, err := ntlmField(msg, f.off, f.name)
		if err != nil {
			return nil, err
		}
		*f.dst = v
	}
	if len(a.nt) < 16 {
		return nil, errors.Errorf(errors.InvalidFormat, "NTLM AUTHENTICATE_MESSAGE: NtChallengeResponse of %d bytes", len(a.nt))
	}
	return a, nil
}

// marshal writes the message with the Version field and its flag, and
// with room for a MIC (zero, filled in by the caller) when withMIC.
func (a *ntlmAuthenticate) marshal(withMIC bool) []byte {
	fixed := ntlmAuthFixed + 8
	if withMIC {
		fixed = ntlmAuthWithMIC
	}
	out := make([]byte, fixed)
	copy(out, ntlmSignature)
	binary.LittleEndian.PutUint32(out[8:], 3)
	for _, f := range []struct {
		off int
		v   []byte
	}{{12, a.lm}, {20, a.nt}, {28, a.domain}, {36, a.user}, {44, a.workstation}, {52, a.sessionKey}} {
		putNTLMField(out, f.off, len(out), len(f.v))
		out = append(out, f.v...)
	}
	binary.LittleEndian.PutUint32(out[60:], a.flags|ntlmFlagVersion)
	copy(out[ntlmAuthFixed:], ntlmVersion())
	return out
}

// ntlmSplitUser splits a user name as go-ntlmssp does: "DOMAIN\user"
// gives both, anything else (including "user@domain", which the server
// resolves) is the user with an empty domain.
func ntlmSplitUser(name string) (user, domain string) {
	if d, u, ok := strings.Cut(name, `\`); ok {
		return u, d
	}
	return name, ""
}

// ntowfv2 is NTOWFv2 (MS-NLMP §3.3.2): HMAC_MD5(MD4(UNICODE(password)),
// UNICODE(Uppercase(user) + domain)).
func ntowfv2(password, user, domain string) []byte {
	h := md4.New()
	h.Write(utf16LE(password))
	return hmacMD5(h.Sum(nil), utf16LE(strings.ToUpper(user)+domain))
}

// ntlmSessionBaseKey is NTLMv2's SessionBaseKey, HMAC_MD5(ResponseKeyNT,
// NTProofStr); without key exchange it is also the ExportedSessionKey the
// MIC is keyed with.
func ntlmSessionBaseKey(responseKeyNT, ntResponse []byte) []byte {
	return hmacMD5(responseKeyNT, ntResponse[:16])
}

// ntlmProof is NTProofStr, HMAC_MD5(ResponseKeyNT, ServerChallenge ||
// temp) where temp is the NTLMv2_CLIENT_CHALLENGE (the NtChallengeResponse
// after its first 16 bytes).
func ntlmProof(responseKeyNT, serverChallenge, temp []byte) []byte {
	return hmacMD5(responseKeyNT, serverChallenge, temp)
}

func hmacMD5(key []byte, data ...[]byte) []byte {
	m := hmac.New(md5.New, key)
	for _, d := range data {
		m.Write(d)
	}
	return m.Sum(nil)
}

func utf16LE(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

// tlsServerEndPoint returns RFC 5929's tls-server-end-point channel
// binding data: the hash of the server's certificate, with the hash of
// its signature algorithm, SHA-256 in place of MD5 and SHA-1.
func tlsServerEndPoint(req *Request) ([]byte, error) {
	if len(req.TLS.PeerCertificates) == 0 {
		return nil, errors.Errorf(errors.InvalidArgument,
			"channel binding: the TLS connection state has no server certificate")
	}
	cert := req.TLS.PeerCertificates[0]
	h := crypto.SHA256
	switch cert.SignatureAlgorithm {
	case x509.SHA384WithRSA, x509.ECDSAWithSHA384, x509.SHA384WithRSAPSS:
		h = crypto.SHA384
	case x509.SHA512WithRSA, x509.ECDSAWithSHA512, x509.SHA512WithRSAPSS:
		h = crypto.SHA512
	}
	hh := h.New()
	hh.Write(cert.Raw)
	return hh.Sum(nil), nil
}

// ntlmChannelBindingHash is MsvAvChannelBindings' value: the MD5 of a
// gss_channel_bindings_struct (RFC 2744 §3.11, MS-NLMP §2.2.2.1) with no
// addresses and application data "tls-server-end-point:" + hash.
func ntlmChannelBindingHash(endPoint []byte) []byte {
	sum := md5.Sum(gssChannelBindings(endPoint))
	return sum[:]
}

// gssChannelBindings marshals the gss_channel_bindings_struct for a
// tls-server-end-point binding: initiator and acceptor address types and
// lengths zero, then the length and bytes of the application data.
func gssChannelBindings(endPoint []byte) []byte {
	app := append([]byte("tls-server-end-point:"), endPoint...)
	var b bytes.Buffer
	b.Write(make([]byte, 16))
	binary.Write(&b, binary.LittleEndian, uint32(len(app)))
	b.Write(app)
	return b.Bytes()
}
