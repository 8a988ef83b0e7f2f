package security

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	hexenc "encoding/hex"
	"hash"
	"strconv"
	"strings"
	"sync"

	"github.com/wsgo/wsgo/errors"
)

// digestSession is Digest authentication (RFC 7616, with RFC 2069's
// no-qop form). It is long-lived and safe for concurrent use: after a
// challenge it keeps the nonce, realm, opaque and algorithm, so that later
// requests answer at once with the next nonce count.
type digestSession struct {
	target   Target
	user     string
	password string

	// newCnonce makes a client nonce; tests replace it.
	newCnonce func() (string, error)

	mu    sync.Mutex
	state *digestNonce // nil before the first challenge
	legs  legs[digestLeg]
}

// digestNonce is the server state a Digest session answers from.
type digestNonce struct {
	realm, nonce, opaque string
	domain               string // the protection space URIs, as sent
	algoName             string // as the server spelled it; "" when absent
	algo                 digestAlgorithm
	qop                  string // "auth", "auth-int" or "" (RFC 2069)
	userhash             bool
	nc                   uint32 // last nonce count used
	// sessCnonce and sessHA1 are the -sess algorithms' session key and the
	// client nonce it was made with (RFC 7616 §3.4.2: computed once per
	// nonce).
	sessCnonce, sessHA1 string
}

// digestLeg is what a Digest session remembers of one request.
type digestLeg struct {
	challenged bool // answered a challenge received for this request
	staleUsed  bool // already retried once after stale=true
}

// digestAlgorithm is one of RFC 7616's hash algorithms.
type digestAlgorithm struct {
	name string // canonical name
	hash func() hash.Hash
	sess bool
}

var digestAlgorithms = []digestAlgorithm{
	{"MD5", md5.New, false},
	{"MD5-sess", md5.New, true},
	{"SHA-256", sha256.New, false},
	{"SHA-256-sess", sha256.New, true},
	{"SHA-512-256", sha512.New512_256, false},
	{"SHA-512-256-sess", sha512.New512_256, true},
}

// digestAlgorithmOf looks up an algorithm parameter; absent means MD5.
func digestAlgorithmOf(name string) (digestAlgorithm, error) {
	if name == "" {
		return digestAlgorithms[0], nil
	}
	for _, a := range digestAlgorithms {
		if strings.EqualFold(a.name, name) {
			return a, nil
		}
	}
	return digestAlgorithm{}, errors.Errorf(errors.NotSupported,
		"Digest algorithm %q is not supported: wsgo answers MD5, SHA-256 and SHA-512-256 and their -sess forms", name)
}

// digestQOPs reads a qop parameter: the set offered and whether it is
// usable (absent, or naming auth or auth-int).
func digestQOPs(qop string) (auth, ok bool) {
	if strings.TrimSpace(qop) == "" {
		return false, true
	}
	var authInt bool
	for _, q := range strings.Split(qop, ",") {
		switch strings.ToLower(strings.TrimSpace(q)) {
		case "auth":
			auth = true
		case "auth-int":
			authInt = true
		}
	}
	return auth, auth || authInt
}

func newDigest(target Target, cred Credentials) (*digestSession, error) {
	if err := checkUserPassword(Digest, target, cred); err != nil {
		return nil, err
	}
	user := cred.Username
	if cred.Domain != "" && !strings.ContainsAny(user, `\@`) {
		user = cred.Domain + `\` + user
	}
	return &digestSession{target: target, user: user, password: cred.Password, newCnonce: randomCnonce}, nil
}

// randomCnonce returns 16 bytes from crypto/rand in base64.
func randomCnonce() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", errors.Errorf(errors.SecuritySystemFailure, "Digest: no random bytes for the client nonce: %w", err)
	}
	return base64.RawStdEncoding.EncodeToString(b[:]), nil
}

// Scheme returns Digest.
func (s *digestSession) Scheme() Scheme { return Digest }

// Authorize answers ch, or with ch nil answers from the last nonce ("" when
// no challenge was seen yet).
//
// For one request, the first challenge is always answered (a preemptive
// answer from an old nonce may meet a fresh one). Once a challenge of this
// request was answered, a challenge with stale=true is answered once more
// with its new nonce, and anything else means the credentials were
// rejected.
func (s *digestSession) Authorize(req *Request, ch *Challenge) (string, error) {
	if req == nil {
		return "", errors.Errorf(errors.InvalidArgument, "Digest Authorize needs the request")
	}
	if ch != nil && ch.Scheme != Digest {
		return "", wrongChallenge(Digest, ch)
	}
	leg := s.legs.get(req)
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch == nil {
		if s.state == nil {
			return "", nil
		}
		return s.answer(req, s.state)
	}
	stale := strings.EqualFold(strings.TrimSpace(ch.Params["stale"]), "true")
	if leg.challenged {
		if !stale || leg.staleUsed {
			why := "a new challenge without stale=true"
			if stale {
				why = "stale=true twice in a row"
			}
			return "", rejected(s.target, "the %v rejected Digest credentials for user %q (realm %q): %s",
				s.target, s.user, ch.Params["realm"], why)
		}
		leg.staleUsed = true
	}
	st, err := s.adopt(req, ch)
	if err != nil {
		return "", err
	}
	leg.challenged = true
	s.state = st
	return s.answer(req, st)
}

// adopt reads a challenge into a fresh nonce state.
func (s *digestSession) adopt(req *Request, ch *Challenge) (*digestNonce, error) {
	p := ch.Params
	if p["nonce"] == "" {
		return nil, errors.Errorf(errors.InvalidFormat,
			"the %v sent a Digest challenge without a nonce (realm %q)", s.target, p["realm"])
	}
	algo, err := digestAlgorithmOf(p["algorithm"])
	if err != nil {
		return nil, err
	}
	st := &digestNonce{
		realm:    p["realm"],
		nonce:    p["nonce"],
		opaque:   p["opaque"],
		domain:   p["domain"],
		algoName: p["algorithm"],
		algo:     algo,
		userhash: strings.EqualFold(strings.TrimSpace(p["userhash"]), "true"),
	}
	if qop, present := p["qop"]; present {
		auth, ok := digestQOPs(qop)
		switch {
		case !ok:
			return nil, errors.Errorf(errors.NotSupported,
				"the %v offers Digest qop %q: wsgo answers auth and auth-int", s.target, qop)
		case auth:
			st.qop = "auth"
		case req.Body == nil && req.Method != "CONNECT":
			return nil, errors.Errorf(errors.InvalidArgument,
				"the %v offers only Digest qop=auth-int, which hashes the whole body: a streamed request body cannot use it; send the body buffered",
				s.target)
		default:
			st.qop = "auth-int"
		}
	}
	return st, nil
}

// answer builds the Authorization value for req from st, counting the
// nonce. s.mu is held.
func (s *digestSession) answer(req *Request, st *digestNonce) (string, error) {
	if req.URI == "" {
		return "", errors.Errorf(errors.InvalidArgument,
			"Digest needs the request-target (Request.URI): the path and query, or the authority of a CONNECT")
	}
	if st.qop == "auth-int" && req.Body == nil && req.Method != "CONNECT" {
		return "", errors.Errorf(errors.InvalidArgument,
			"the %v's Digest nonce requires qop=auth-int, which hashes the whole body: a streamed request body cannot use it; send the body buffered",
			s.target)
	}
	var cnonce string
	if st.qop != "" {
		if st.algo.sess && st.sessCnonce != "" {
			cnonce = st.sessCnonce
		} else {
			c, err := s.newCnonce()
			if err != nil {
				return "", err
			}
			cnonce = c
		}
	}
	st.nc++
	nc := digestNC(st.nc)
	return st.authorization(s.user, s.password, req, nc, cnonce), nil
}

// digestNC formats a nonce count as 8 hex digits.
func digestNC(n uint32) string {
	s := strconv.FormatUint(uint64(n), 16)
	return strings.Repeat("0", 8-len(s)) + s
}

// authorization computes the response (RFC 7616 §3.4.1) and formats the
// header. It sets the -sess session key on first use.
func (st *digestNonce) authorization(user, password string, req *Request, nc, cnonce string) string {
	h := func(parts ...string) string {
		hh := st.algo.hash()
		for i, p := range parts {
			if i > 0 {
				hh.Write([]byte{':'})
			}
			hh.Write([]byte(p))
		}
		return hexenc.EncodeToString(hh.Sum(nil))
	}
	ha1 := h(user, st.realm, password)
	if st.algo.sess {
		if st.sessHA1 == "" || st.sessCnonce != cnonce {
			st.sessCnonce = cnonce
			st.sessHA1 = h(ha1, st.nonce, cnonce)
		}
		ha1 = st.sessHA1
	}
	var ha2 string
	if st.qop == "auth-int" {
		bh := st.algo.hash()
		bh.Write(req.Body)
		ha2 = h(req.Method, req.URI, hexenc.EncodeToString(bh.Sum(nil)))
	} else {
		ha2 = h(req.Method, req.URI)
	}
	var response string
	if st.qop == "" {
		response = h(ha1, st.nonce, ha2)
	} else {
		response = h(ha1, st.nonce, nc, cnonce, st.qop, ha2)
	}

	var b strings.Builder
	b.WriteString("Digest ")
	switch {
	case st.userhash:
		b.WriteString(`username="` + h(user, st.realm) + `"`)
	case needsExtValue(user):
		b.WriteString("username*=UTF-8''" + extValue(user))
	default:
		b.WriteString("username=" + quote(user))
	}
	b.WriteString(", realm=" + quote(st.realm))
	b.WriteString(", uri=" + quote(req.URI))
	if st.algoName != "" {
		b.WriteString(", algorithm=" + st.algo.name)
	}
	b.WriteString(", nonce=" + quote(st.nonce))
	if st.qop != "" {
		b.WriteString(", nc=" + nc)
		b.WriteString(", cnonce=" + quote(cnonce))
		b.WriteString(", qop=" + st.qop)
	}
	b.WriteString(`, response="` + response + `"`)
	if st.opaque != "" {
		b.WriteString(", opaque=" + quote(st.opaque))
	}
	if st.userhash {
		b.WriteString(", userhash=true")
	}
	return b.String()
}

// quote returns v as an HTTP quoted-string.
func quote(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 2)
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' || v[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
	}
	b.WriteByte('"')
	return b.String()
}

// needsExtValue reports whether a user name cannot go in a quoted-string
// as is and needs RFC 7616 §3.4.4's username* (non-ASCII text).
func needsExtValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x7f {
			return true
		}
	}
	return false
}

// extValue percent-encodes v for an RFC 8187 ext-value.
func extValue(v string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0xf])
	}
	return b.String()
}

// isAttrChar reports whether c is an attr-char of RFC 8187 §3.2.1.
func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}

// Complete forgets the request; the nonce stays for the next one. A
// server's Authentication-Info (nextnonce, rspauth) is not read: the
// Session interface does not carry it.
func (s *digestSession) Complete(req *Request, ch *Challenge) error {
	s.legs.forget(req)
	return nil
}

// String names the scheme, target, user and protection space, never the
// password.
func (s *digestSession) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := "Digest session for the " + s.target.String() + " as " + s.user
	if s.state != nil {
		out += " in realm " + strconv.Quote(s.state.realm) + " (" + s.state.algo.name
		if s.state.domain != "" {
			out += ", domain " + strconv.Quote(s.state.domain)
		}
		out += ")"
	}
	return out
}
