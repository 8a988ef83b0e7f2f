package security

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/binary"
	hexenc "encoding/hex"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/wsgo/wsgo/errors"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hexenc.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestNTLMv2KnownAnswer checks the NTLMv2 computation against MS-NLMP
// §4.2.4 (user "User", domain "Domain", password "Password").
func TestNTLMv2KnownAnswer(t *testing.T) {
	key := ntowfv2("Password", "User", "Domain")
	if want := unhex(t, "0c868a403bfd7a93a3001ef22ef02e3f"); !bytes.Equal(key, want) {
		t.Fatalf("NTOWFv2 = %x, want %x", key, want)
	}
	serverChallenge := unhex(t, "0123456789abcdef")
	clientChallenge := unhex(t, "aaaaaaaaaaaaaaaa")
	avPairs := marshalAVPairs([]ntlmAVPair{
		{0x0002, utf16LE("Domain")},
		{0x0001, utf16LE("Server")},
	})
	var temp []byte
	temp = append(temp, 1, 1, 0, 0, 0, 0, 0, 0)
	temp = append(temp, make([]byte, 8)...) // time 0
	temp = append(temp, clientChallenge...)
	temp = append(temp, 0, 0, 0, 0)
	temp = append(temp, avPairs...)
	temp = append(temp, 0, 0, 0, 0)
	proof := ntlmProof(key, serverChallenge, temp)
	if want := unhex(t, "68cd0ab851e51c96aabc927bebef6a1c"); !bytes.Equal(proof, want) {
		t.Errorf("NTProofStr = %x, want %x", proof, want)
	}
	if got, want := ntlmSessionBaseKey(key, proof), unhex(t, "8de40ccadbc14a82f15cb0ad0de95ca3"); !bytes.Equal(got, want) {
		t.Errorf("SessionBaseKey = %x, want %x", got, want)
	}
	lm := hmacMD5(key, serverChallenge, clientChallenge)
	if want := unhex(t, "86c35097ac9cec102554764a57cccc19"); !bytes.Equal(lm, want) {
		t.Errorf("LMv2 = %x, want %x", lm, want)
	}
}

func TestNTLMNegotiateMessage(t *testing.T) {
	sess, err := NewSession(NTLM, Service, Credentials{Username: `CORP\alice`, Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := sess.Authorize(&Request{Method: "POST", URI: "/", Host: "svc"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	word, tok, _ := strings.Cut(h, " ")
	if word != "NTLM" {
		t.Errorf("scheme word %q", word)
	}
	msg, err := base64.StdEncoding.DecodeString(tok)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg) != 40 || string(msg[:8]) != "NTLMSSP\x00" || binary.LittleEndian.Uint32(msg[8:]) != 1 {
		t.Fatalf("NEGOTIATE_MESSAGE % x", msg)
	}
	flags := binary.LittleEndian.Uint32(msg[12:])
	for _, f := range []struct {
		bit  uint32
		name string
	}{{0x1, "UNICODE"}, {0x4, "REQUEST_TARGET"}, {0x200, "NTLM"}, {0x80000, "EXTENDED_SESSIONSECURITY"}, {0x800000, "TARGET_INFO"}, {0x02000000, "VERSION"}, {0x20000000, "128"}} {
		if flags&f.bit == 0 {
			t.Errorf("flag NTLMSSP_NEGOTIATE_%s (0x%x) not set in 0x%08x", f.name, f.bit, flags)
		}
	}
	if flags&0x80 != 0 {
		t.Errorf("LM_KEY set: 0x%08x", flags)
	}
	// MS-NLMP §2.2.2.10 Version: 6.1 build 7601, NTLMSSP_REVISION_W2K3.
	if got := msg[32:40]; !bytes.Equal(got, []byte{6, 1, 0xb1, 0x1d, 0, 0, 0, 15}) {
		t.Errorf("Version % x", got)
	}
	// Domain and workstation fields are empty.
	if binary.LittleEndian.Uint16(msg[16:]) != 0 || binary.LittleEndian.Uint16(msg[24:]) != 0 {
		t.Errorf("NEGOTIATE supplies domain or workstation: % x", msg[16:32])
	}
}

// testChallenge builds a Windows-like CHALLENGE_MESSAGE.
func testChallenge(serverChallenge []byte, pairs []ntlmAVPair) []byte {
	targetName := utf16LE("CORP")
	info := marshalAVPairs(pairs)
	msg := make([]byte, 56)
	copy(msg, "NTLMSSP\x00")
	binary.LittleEndian.PutUint32(msg[8:], 2)
	flags := uint32(0xe2898215) // as Windows Server 2019 answers
	flags &^= 0x40000000        // no KEY_EXCH: the client did not ask
	binary.LittleEndian.PutUint32(msg[20:], flags)
	copy(msg[24:], serverChallenge)
	copy(msg[48:], []byte{10, 0, 0x63, 0x45, 0, 0, 0, 15})
	putNTLMField(msg, 12, len(msg), len(targetName))
	msg = append(msg, targetName...)
	putNTLMField(msg, 40, len(msg), len(info))
	return append(msg, info...)
}

func selfSignedState(t *testing.T, curve elliptic.Curve, sig x509.SignatureAlgorithm) *tls.ConnectionState {
	t.Helper()
	key, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "svc.example"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"svc.example"}, SignatureAlgorithm: sig,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.ConnectionState{PeerCertificates: []*x509.Certificate{cert}}
}

// wantBindings is the MsvAvChannelBindings value computed from RFC 5929
// and RFC 2744 directly.
func wantBindings(certHash []byte) []byte {
	app := append([]byte("tls-server-end-point:"), certHash...)
	s := make([]byte, 20, 20+len(app))
	binary.LittleEndian.PutUint32(s[16:], uint32(len(app)))
	sum := md5.Sum(append(s, app...))
	return sum[:]
}

// TestNTLMHandshake runs both legs against a Windows-like CHALLENGE over
// TLS and decodes the AUTHENTICATE_MESSAGE field by field.
func TestNTLMHandshake(t *testing.T) {
	state := selfSignedState(t, elliptic.P256(), x509.ECDSAWithSHA256)
	req := &Request{Method: "POST", URI: "/svc", Host: "svc.example", TLS: state}
	sess, err := NewSession(NTLM, Service, Credentials{Username: "alice", Domain: "CORP", Password: "Pa55w.rd", Workstation: "WS1"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := sess.Authorize(req, &Challenge{Scheme: NTLM, Name: "NTLM"})
	if err != nil {
		t.Fatal(err)
	}
	negotiate, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(first, "NTLM "))

	serverChallenge := unhex(t, "0123456789abcdef")
	timestamp := unhex(t, "00e0c3a4d5f6d801")
	serverPairs := []ntlmAVPair{
		{0x0002, utf16LE("CORP")},
		{0x0001, utf16LE("WEB01")},
		{0x0004, utf16LE("corp.example")},
		{0x0003, utf16LE("web01.corp.example")},
		{0x0005, utf16LE("corp.example")},
		{avTimestamp, timestamp},
	}
	challenge := testChallenge(serverChallenge, serverPairs)
	h, err := sess.Authorize(req, &Challenge{Scheme: NTLM, Name: "NTLM", Token: base64.StdEncoding.EncodeToString(challenge)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "NTLM ") {
		t.Fatalf("answer %q", h)
	}
	auth, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(h, "NTLM "))
	if err != nil {
		t.Fatal(err)
	}
	am, err := parseNTLMAuthenticate(auth)
	if err != nil {
		t.Fatal(err)
	}
	if am.flags&ntlmFlagVersion == 0 || !bytes.Equal(auth[64:72], []byte{6, 1, 0xb1, 0x1d, 0, 0, 0, 15}) {
		t.Errorf("flags 0x%08x, Version % x: want the VERSION flag and field", am.flags, auth[64:72])
	}
	if string(am.user) != string(utf16LE("alice")) || string(am.domain) != string(utf16LE("CORP")) || string(am.workstation) != string(utf16LE("WS1")) {
		t.Errorf("user %q domain %q workstation %q", am.user, am.domain, am.workstation)
	}
	if !bytes.Equal(am.lm, make([]byte, 24)) {
		t.Errorf("LmChallengeResponse % x, want Z(24) with MsvAvTimestamp", am.lm)
	}

	// NTLMv2_RESPONSE: NTProofStr, then NTLMv2_CLIENT_CHALLENGE.
	nt := am.nt
	temp := nt[16:]
	if temp[0] != 1 || temp[1] != 1 || !bytes.Equal(temp[2:8], make([]byte, 6)) {
		t.Errorf("RespType/HiRespType/Reserved % x", temp[:8])
	}
	if !bytes.Equal(temp[8:16], timestamp) {
		t.Errorf("TimeStamp % x, want the server's % x", temp[8:16], timestamp)
	}
	if !bytes.Equal(temp[24:28], make([]byte, 4)) || !bytes.Equal(temp[len(temp)-4:], make([]byte, 4)) {
		t.Errorf("Reserved3 or the trailing zeros are not zero")
	}
	pairs, err := parseAVPairs(temp[28 : len(temp)-4])
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range serverPairs {
		if got := findAV(pairs, p.id); !bytes.Equal(got, p.value) {
			t.Errorf("server AV pair 0x%04x = % x, want % x", p.id, got, p.value)
		}
	}
	if got := findAV(pairs, avFlags); !bytes.Equal(got, []byte{2, 0, 0, 0}) {
		t.Errorf("MsvAvFlags % x, want MIC present", got)
	}
	if got := findAV(pairs, avTargetName); !bytes.Equal(got, utf16LE("HTTP/svc.example")) {
		t.Errorf("MsvAvTargetName %q", got)
	}
	certHash := sha256.Sum256(state.PeerCertificates[0].Raw)
	if got := findAV(pairs, avChannelBindings); !bytes.Equal(got, wantBindings(certHash[:])) {
		t.Errorf("MsvAvChannelBindings % x, want % x", got, wantBindings(certHash[:]))
	}

	// The proof, recomputed from NTOWFv2, and the MIC over all three
	// messages with the MIC field zeroed.
	key := ntowfv2("Pa55w.rd", "alice", "CORP")
	mac := hmac.New(md5.New, key)
	mac.Write(serverChallenge)
	mac.Write(temp)
	if !hmac.Equal(mac.Sum(nil), nt[:16]) {
		t.Errorf("NTProofStr does not match NTOWFv2 over the client challenge")
	}
	zeroed := bytes.Clone(auth)
	copy(zeroed[72:88], make([]byte, 16))
	mic := hmac.New(md5.New, ntlmSessionBaseKey(key, nt))
	mic.Write(negotiate)
	mic.Write(challenge)
	mic.Write(zeroed)
	if !hmac.Equal(mic.Sum(nil), auth[72:88]) {
		t.Errorf("MIC % x is not HMAC_MD5(ExportedSessionKey, NEGOTIATE|CHALLENGE|AUTHENTICATE)", auth[72:88])
	}

	// Any challenge now means the credentials were rejected.
	_, err = sess.Authorize(req, &Challenge{Scheme: NTLM, Name: "NTLM"})
	checkRejected(t, err, errors.EndpointAccessDenied, "alice", "Pa55w.rd")
	if err := sess.Complete(req, nil); err != nil {
		t.Error(err)
	}
}

// TestNTLMUnderNegotiate answers a server that carries raw NTLM under the
// Negotiate scheme with the same word, with a proxy target, a UPN user
// name, no TLS and no timestamp (LMv2 sent).
func TestNTLMUnderNegotiate(t *testing.T) {
	sess, err := NewSession(NTLM, Proxy, Credentials{Username: "bob@corp.example", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	req := &Request{Method: "CONNECT", URI: "svc:443", Host: "proxy"}
	first, err := sess.Authorize(req, &Challenge{Scheme: Negotiate, Name: "Negotiate"})
	if err != nil || !strings.HasPrefix(first, "Negotiate TlRMTVNTUAAB") {
		t.Fatalf("first leg %q, %v", first, err)
	}
	serverChallenge := unhex(t, "1122334455667788")
	challenge := testChallenge(serverChallenge, []ntlmAVPair{{0x0002, utf16LE("CORP")}, {0x0001, utf16LE("PROXY")}})
	h, err := sess.Authorize(req, &Challenge{Scheme: Negotiate, Name: "Negotiate", Token: base64.StdEncoding.EncodeToString(challenge)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "Negotiate ") {
		t.Fatalf("answer under %q", h)
	}
	auth, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(h, "Negotiate "))
	am, err := parseNTLMAuthenticate(auth)
	if err != nil {
		t.Fatal(err)
	}
	if string(am.user) != string(utf16LE("bob@corp.example")) || len(am.domain) != 0 {
		t.Errorf("user %q domain %q", am.user, am.domain)
	}
	pairs, err := parseAVPairs(am.nt[44 : len(am.nt)-4])
	if err != nil {
		t.Fatal(err)
	}
	if findAV(pairs, avChannelBindings) != nil {
		t.Error("channel bindings without TLS")
	}
	key := ntowfv2("pw", "bob@corp.example", "")
	clientChallenge := am.nt[32:40]
	wantLM := append(hmacMD5(key, serverChallenge, clientChallenge), clientChallenge...)
	if !bytes.Equal(am.lm, wantLM) {
		t.Errorf("LMv2 % x, want % x", am.lm, wantLM)
	}
	_, err = sess.Authorize(req, &Challenge{Scheme: Negotiate, Name: "Negotiate", Token: base64.StdEncoding.EncodeToString(challenge)})
	checkRejected(t, err, errors.ProxyAccessDenied, "bob@corp.example", "\"pw\"")
}

func TestNTLMBadChallenges(t *testing.T) {
	valid := testChallenge(make([]byte, 8), []ntlmAVPair{{0x0001, utf16LE("S")}})
	truncatedInfo := bytes.Clone(valid)
	binary.LittleEndian.PutUint16(truncatedInfo[40:], 0xffff)
	noEOL := testChallenge(make([]byte, 8), nil)
	noEOL = noEOL[:len(noEOL)-4]
	binary.LittleEndian.PutUint16(noEOL[40:], 0)
	binary.LittleEndian.PutUint16(noEOL[40:], 4)
	noEOL = append(noEOL, 1, 0, 0x10, 0) // a pair that claims 16 bytes

	for _, tt := range []struct {
		name, token string
		code        errors.Code
	}{
		{"not base64", "%%%", errors.InvalidFormat},
		{"not NTLM", base64.StdEncoding.EncodeToString([]byte("oYG2MIGzoAMKAQChCwYJKoZIgvcSAQICooGeBIGb")), errors.InvalidFormat},
		{"a NEGOTIATE", base64.StdEncoding.EncodeToString(append([]byte("NTLMSSP\x00\x01\x00\x00\x00"), make([]byte, 40)...)), errors.InvalidFormat},
		{"AV pair past the end", base64.StdEncoding.EncodeToString(noEOL), errors.InvalidFormat},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sess, _ := NewSession(NTLM, Service, Credentials{Username: "u", Password: "p"})
			req := &Request{Method: "GET", URI: "/", Host: "h"}
			if _, err := sess.Authorize(req, nil); err != nil {
				t.Fatal(err)
			}
			_, err := sess.Authorize(req, &Challenge{Scheme: NTLM, Name: "NTLM", Token: tt.token})
			if errors.CodeOf(err) != tt.code {
				t.Errorf("error %v, want code %v", err, tt.code)
			}
		})
	}

	sess, _ := NewSession(NTLM, Service, Credentials{Username: "u", Password: "p"})
	req := &Request{Method: "GET", URI: "/", Host: "h"}
	if _, err := sess.Authorize(req, &Challenge{Scheme: NTLM, Name: "NTLM", Token: base64.StdEncoding.EncodeToString(valid)}); errors.CodeOf(err) != errors.InvalidOperation {
		t.Errorf("CHALLENGE before NEGOTIATE: %v", err)
	}
	if _, err := sess.Authorize(req, &Challenge{Scheme: Basic, Name: "Basic"}); errors.CodeOf(err) != errors.InvalidArgument {
		t.Errorf("Basic challenge: %v", err)
	}
	_, _ = sess.Authorize(req, nil)
	_, err := sess.Authorize(req, &Challenge{Scheme: NTLM, Name: "NTLM"})
	if !errors.Is(err, ErrRejected) {
		t.Errorf("bare challenge after NEGOTIATE: %v, want a rejection", err)
	}
}

func TestTLSServerEndPointHash(t *testing.T) {
	for _, tt := range []struct {
		curve elliptic.Curve
		sig   x509.SignatureAlgorithm
		sum   func([]byte) []byte
	}{
		{elliptic.P256(), x509.ECDSAWithSHA256, func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }},
		{elliptic.P384(), x509.ECDSAWithSHA384, func(b []byte) []byte { s := sha512.Sum384(b); return s[:] }},
		{elliptic.P521(), x509.ECDSAWithSHA512, func(b []byte) []byte { s := sha512.Sum512(b); return s[:] }},
		{elliptic.P256(), x509.ECDSAWithSHA1, func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }},
	} {
		state := selfSignedState(t, tt.curve, tt.sig)
		got, err := tlsServerEndPoint(&Request{TLS: state})
		if err != nil {
			t.Fatal(err)
		}
		if want := tt.sum(state.PeerCertificates[0].Raw); !bytes.Equal(got, want) {
			t.Errorf("%v: hash % x, want % x", tt.sig, got, want)
		}
	}
	if _, err := tlsServerEndPoint(&Request{TLS: &tls.ConnectionState{}}); errors.CodeOf(err) != errors.InvalidArgument {
		t.Errorf("no certificate: %v", err)
	}
}

// FuzzNTLMChallenge feeds arbitrary CHALLENGE_MESSAGEs to a session after
// its NEGOTIATE: no panic, and any failure is an *errors.Error.
func FuzzNTLMChallenge(f *testing.F) {
	f.Add(testChallenge(make([]byte, 8), []ntlmAVPair{{0x0001, utf16LE("S")}, {avTimestamp, make([]byte, 8)}}))
	f.Add(testChallenge(make([]byte, 8), nil))
	f.Fuzz(func(t *testing.T, msg []byte) {
		sess, _ := NewSession(NTLM, Service, Credentials{Username: "u", Password: "p"})
		req := &Request{Method: "GET", URI: "/", Host: "h"}
		if _, err := sess.Authorize(req, nil); err != nil {
			t.Fatal(err)
		}
		_, err := sess.Authorize(req, &Challenge{Scheme: NTLM, Name: "NTLM", Token: base64.StdEncoding.EncodeToString(msg)})
		if err != nil && errors.CodeOf(err) == errors.Other {
			t.Fatalf("untyped error %v", err)
		}
	})
}

// TestNTLMChallengeLenientTargetName: squid's ntlm_fake_auth sends a
// 49-byte CHALLENGE whose TargetName field points far past the message and
// which has no NTLMSSP_NEGOTIATE_TARGET_INFO flag. curl answers it; so must
// we: the name is informational and the TargetInfo fields are to be ignored
// without the flag.
func TestNTLMChallengeLenientTargetName(t *testing.T) {
	msg := make([]byte, 49)
	copy(msg, "NTLMSSP\x00")
	binary.LittleEndian.PutUint32(msg[8:], 2)
	binary.LittleEndian.PutUint16(msg[12:], 9)          // TargetName length
	binary.LittleEndian.PutUint32(msg[16:], 0xAAAAAAAE) // and a wild offset
	binary.LittleEndian.PutUint32(msg[20:], 0x00088207) // no TARGET_INFO
	binary.LittleEndian.PutUint16(msg[40:], 200)        // TargetInfo past the end,
	binary.LittleEndian.PutUint32(msg[44:], 0xFFFFFFF0) // ignored without the flag
	c, err := parseNTLMChallenge(msg)
	if err != nil {
		t.Fatalf("parseNTLMChallenge: %v", err)
	}
	if len(c.targetName) != 0 || len(c.targetInfo) != 0 {
		t.Errorf("targetName %q, targetInfo %v: want both empty", c.targetName, c.targetInfo)
	}
	// With the flag, a TargetInfo field that runs past the message is
	// ignored as well (ntlm_fake_auth sets the flag over random bytes),
	// but an AV_PAIR list inside the message that is malformed is an error.
	binary.LittleEndian.PutUint32(msg[20:], 0x00888207)
	if c, err := parseNTLMChallenge(msg); err != nil || len(c.targetInfo) != 0 {
		t.Errorf("TargetInfo past the end with NEGOTIATE_TARGET_INFO: %v, %v; want ignored", c, err)
	}
	bad := append(msg[:48:48], 0x02, 0x00, 0x10, 0x00) // an AV_PAIR of 16 bytes, 0 present
	binary.LittleEndian.PutUint16(bad[40:], 4)
	binary.LittleEndian.PutUint32(bad[44:], 48)
	if _, err := parseNTLMChallenge(bad); err == nil {
		t.Errorf("a truncated AV_PAIR list parsed without error")
	}
}
