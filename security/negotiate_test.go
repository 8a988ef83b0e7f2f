package security

import (
	"bytes"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jcmturner/gofork/encoding/asn1"
	"github.com/jcmturner/gokrb5/v8/asn1tools"
	krbcrypto "github.com/jcmturner/gokrb5/v8/crypto"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/iana/flags"
	"github.com/jcmturner/gokrb5/v8/iana/keyusage"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/service"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/jcmturner/gokrb5/v8/types"

	"github.com/wsgo/wsgo/errors"
)

const testRealm = "EXAMPLE.ORG"

// serviceTicket issues a ticket for HTTP/svc.example to alice, encrypted
// with a key the returned keytab holds, as a KDC would.
func serviceTicket(t *testing.T) (messages.Ticket, types.EncryptionKey, *keytab.Keytab) {
	t.Helper()
	kt := keytab.New()
	if err := kt.AddEntry("HTTP/svc.example", testRealm, "service-secret", time.Now(), 1, etypeID.AES256_CTS_HMAC_SHA1_96); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	tkt, key, err := messages.NewTicket(
		types.NewPrincipalName(nametype.KRB_NT_PRINCIPAL, "alice"), testRealm,
		types.NewPrincipalName(nametype.KRB_NT_SRV_INST, "HTTP/svc.example"), testRealm,
		types.NewKrbFlags(), kt, etypeID.AES256_CTS_HMAC_SHA1_96, 1, now, now, now.Add(time.Hour), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return tkt, key, kt
}

// TestNegotiateInitToken decodes the NegTokenInit and has gokrb5's
// acceptor verify the AP-REQ inside with the service keytab.
func TestNegotiateInitToken(t *testing.T) {
	tkt, key, kt := serviceTicket(t)
	state := selfSignedState(t, elliptic.P256(), x509.ECDSAWithSHA256)
	ep, err := tlsServerEndPoint(&Request{TLS: state})
	if err != nil {
		t.Fatal(err)
	}
	bindings := ntlmChannelBindingHash(ep)
	tok, auth, err := negTokenInit(types.NewPrincipalName(nametype.KRB_NT_PRINCIPAL, "alice"), testRealm, tkt, key, bindings)
	if err != nil {
		t.Fatal(err)
	}
	if tok[0] != 0x60 {
		t.Fatalf("token starts with 0x%02x, want [APPLICATION 0]", tok[0])
	}
	var st spnego.SPNEGOToken
	if err := st.Unmarshal(tok); err != nil {
		t.Fatal(err)
	}
	if !st.Init || len(st.NegTokenInit.MechTypes) != 1 || !st.NegTokenInit.MechTypes[0].Equal(gssapi.OIDKRB5.OID()) {
		t.Fatalf("NegTokenInit %+v, want krb5 as the only mechanism", st.NegTokenInit)
	}
	var mech spnego.KRB5Token
	if err := mech.Unmarshal(st.NegTokenInit.MechTokenBytes); err != nil {
		t.Fatal(err)
	}
	if !mech.IsAPReq() {
		t.Fatal("mechToken is not an AP-REQ")
	}
	apreq := mech.APReq
	if !types.IsFlagSet(&apreq.APOptions, flags.APOptionMutualRequired) {
		t.Error("AP-REQ without mutual-required")
	}
	ok, creds, err := service.VerifyAPREQ(&apreq, service.NewSettings(kt, service.DecodePAC(false)))
	if err != nil || !ok {
		t.Fatalf("gokrb5 acceptor: %v, %v", ok, err)
	}
	if creds.UserName() != "alice" || creds.Domain() != testRealm {
		t.Errorf("authenticated %s@%s", creds.UserName(), creds.Domain())
	}
	a := apreq.Authenticator
	if a.Cksum.CksumType != 0x8003 || len(a.Cksum.Checksum) != 24 {
		t.Fatalf("checksum type 0x%x len %d", a.Cksum.CksumType, len(a.Cksum.Checksum))
	}
	c := a.Cksum.Checksum
	if binary.LittleEndian.Uint32(c) != 16 || !bytes.Equal(c[4:20], bindings) {
		t.Errorf("Lgth/Bnd % x, want 16 and the channel bindings % x", c[:20], bindings)
	}
	if f := binary.LittleEndian.Uint32(c[20:]); f&gssapi.ContextFlagMutual == 0 {
		t.Errorf("GSS flags 0x%x without GSS_C_MUTUAL_FLAG", f)
	}
	if a.Cusec != auth.Cusec || a.CTime.Unix() != auth.CTime.Unix() {
		t.Errorf("authenticator time differs from the one remembered")
	}
}

// apRepToken builds a server's final NegTokenResp with an AP-REP.
func apRepToken(t *testing.T, key types.EncryptionKey, ctime time.Time, cusec int, negState int) string {
	t.Helper()
	part := messages.EncAPRepPart{CTime: ctime.UTC().Truncate(time.Second), Cusec: cusec, SequenceNumber: 7}
	pb, err := asn1.Marshal(part)
	if err != nil {
		t.Fatal(err)
	}
	pb = asn1tools.AddASNAppTag(pb, 27)
	ed, err := krbcrypto.GetEncryptedData(pb, key, keyusage.AP_REP_ENCPART, 0)
	if err != nil {
		t.Fatal(err)
	}
	rep := messages.APRep{PVNO: 5, MsgType: 15, EncPart: ed}
	rb, err := asn1.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	rb = asn1tools.AddASNAppTag(rb, 15)
	return negTokenResp(t, negState, krb5Token(t, []byte{2, 0}, rb))
}

func krb5Token(t *testing.T, id, body []byte) []byte {
	t.Helper()
	oid, _ := asn1.Marshal(gssapi.OIDKRB5.OID())
	return asn1tools.AddASNAppTag(append(append(oid, id...), body...), 0)
}

func negTokenResp(t *testing.T, negState int, mech []byte) string {
	t.Helper()
	r := spnego.NegTokenResp{NegState: asn1.Enumerated(negState), SupportedMech: gssapi.OIDKRB5.OID(), ResponseToken: mech}
	b, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func sentSession(t *testing.T, target Target, key types.EncryptionKey, ctime time.Time, cusec int) *negotiateSession {
	t.Helper()
	return &negotiateSession{target: target, src: krbSource{user: "alice", realm: testRealm, password: "x"},
		state: negotiateSent, key: key, ctime: ctime, cusec: cusec}
}

func TestNegotiateMutualAuthentication(t *testing.T) {
	_, key, _ := serviceTicket(t)
	_, otherKey, _ := serviceTicket(t)
	ctime := time.Now().UTC()
	ch := func(tok string) *Challenge { return &Challenge{Scheme: Negotiate, Name: "Negotiate", Token: tok} }
	req := &Request{Method: "POST", URI: "/", Host: "svc.example"}

	if err := sentSession(t, Service, key, ctime, 4711).Complete(req, ch(apRepToken(t, key, ctime, 4711, 0))); err != nil {
		t.Errorf("good AP-REP: %v", err)
	}
	if err := sentSession(t, Service, key, ctime, 4711).Complete(req, nil); err != nil {
		t.Errorf("no final token: %v (accepted by design)", err)
	}
	// The raw krb5 form some servers send.
	rawTok, _ := base64.StdEncoding.DecodeString(apRepToken(t, key, ctime, 4711, 0))
	var resp spnego.NegTokenResp
	_, v, _ := spnego.UnmarshalNegToken(rawTok)
	resp = v.(spnego.NegTokenResp)
	if err := sentSession(t, Service, key, ctime, 4711).Complete(req, ch(base64.StdEncoding.EncodeToString(resp.ResponseToken))); err != nil {
		t.Errorf("raw krb5 AP-REP: %v", err)
	}
	for name, tok := range map[string]string{
		"wrong cusec":       apRepToken(t, key, ctime, 4712, 0),
		"wrong ctime":       apRepToken(t, key, ctime.Add(-time.Minute), 4711, 0),
		"other key":         apRepToken(t, otherKey, ctime, 4711, 0),
		"accept-incomplete": apRepToken(t, key, ctime, 4711, 1),
		"garbage":           base64.StdEncoding.EncodeToString([]byte{0xa1, 0x03, 0x02, 0x01}),
	} {
		err := sentSession(t, Proxy, key, ctime, 4711).Complete(req, ch(tok))
		if errors.CodeOf(err) != errors.SecurityVerificationFailure {
			t.Errorf("%s: %v, want SecurityVerificationFailure", name, err)
		}
	}
}

func TestNegotiateContinuations(t *testing.T) {
	_, key, _ := serviceTicket(t)
	ctime := time.Now()
	req := &Request{Method: "POST", URI: "/", Host: "svc.example"}
	ch := func(tok string) *Challenge { return &Challenge{Scheme: Negotiate, Name: "Negotiate", Token: tok} }
	skew := messages.NewKRBError(types.NewPrincipalName(nametype.KRB_NT_SRV_INST, "HTTP/svc.example"), testRealm, errorcode.KRB_AP_ERR_SKEW, "")
	skewBytes, err := skew.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	modified := messages.NewKRBError(types.NewPrincipalName(nametype.KRB_NT_SRV_INST, "HTTP/svc.example"), testRealm, errorcode.KRB_AP_ERR_MODIFIED, "")
	modBytes, _ := modified.Marshal()
	ntlmResp, _ := (&spnego.NegTokenResp{NegState: 1, SupportedMech: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 2, 2, 10}}).Marshal()

	for _, tt := range []struct {
		name     string
		ch       *Challenge
		code     errors.Code
		rejected bool
	}{
		{"bare challenge", &Challenge{Scheme: Negotiate, Name: "Negotiate"}, errors.ProxyAccessDenied, true},
		{"SPNEGO reject", ch("oQcwBaADCgEC"), errors.ProxyAccessDenied, true},
		{"accept-completed on a 407", ch(apRepToken(t, key, ctime, 1, 0)), errors.ProxyAccessDenied, true},
		{"KRB_AP_ERR_MODIFIED", ch(negTokenResp(t, 1, krb5Token(t, []byte{3, 0}, modBytes))), errors.ProxyAccessDenied, true},
		{"KRB_AP_ERR_SKEW", ch(negTokenResp(t, 1, krb5Token(t, []byte{3, 0}, skewBytes))), errors.SecuritySystemFailure, false},
		{"server wants NTLM", ch(base64.StdEncoding.EncodeToString(ntlmResp)), errors.InvalidFormat, false},
		{"not base64", ch("@@"), errors.InvalidFormat, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := sentSession(t, Proxy, key, ctime, 1)
			_, err := s.Authorize(req, tt.ch)
			if errors.CodeOf(err) != tt.code || errors.Is(err, ErrRejected) != tt.rejected {
				t.Errorf("error %v: code %v rejected %v, want %v %v", err, errors.CodeOf(err), errors.Is(err, ErrRejected), tt.code, tt.rejected)
			}
			if err != nil && strings.Contains(err.Error(), "password") && strings.Contains(err.Error(), "x\"") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
	fresh, err := NewSession(Negotiate, Service, Credentials{Username: "alice@" + testRealm, Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.Authorize(req, ch("oQcwBaADCgEC")); errors.CodeOf(err) != errors.InvalidOperation {
		t.Errorf("continuation before the first token: %v", err)
	}
}

func TestNegotiateSPN(t *testing.T) {
	s := &negotiateSession{target: Service}
	for host, want := range map[string]string{
		"Svc.Example.":     "HTTP/svc.example",
		"svc.example:8443": "HTTP/svc.example",
		"[::1]":            "HTTP/::1",
	} {
		if got, err := s.spnFor(&Request{Host: host}); err != nil || got != want {
			t.Errorf("spnFor(%q) = %q, %v; want %q", host, got, err, want)
		}
	}
	if _, err := s.spnFor(&Request{}); errors.CodeOf(err) != errors.InvalidArgument {
		t.Errorf("no host: %v", err)
	}
	s.spn = "HTTP/alias.example@OTHER.ORG"
	if got, _ := s.spnFor(&Request{Host: "svc.example"}); got != s.spn {
		t.Errorf("Kerberos.SPN not used: %q", got)
	}
}

func TestKerberosSource(t *testing.T) {
	t.Setenv("KRB5_CONFIG", "/etc/krb5-a.conf:/etc/krb5-b.conf")
	t.Setenv("KRB5CCNAME", "FILE:/tmp/krb5cc_test")
	for _, tt := range []struct {
		name string
		cred Credentials
		want krbSource // password compared as set or not
		err  string
	}{
		{"user@REALM password", Credentials{Username: "alice@EXAMPLE.ORG", Password: "pw"},
			krbSource{configPath: "/etc/krb5-a.conf", user: "alice", realm: "EXAMPLE.ORG", password: "pw"}, ""},
		{"Domain as realm", Credentials{Username: `CORP\alice`, Domain: "EXAMPLE.ORG", Password: "pw"},
			krbSource{configPath: "/etc/krb5-a.conf", user: "alice", realm: "EXAMPLE.ORG", password: "pw"}, ""},
		{"keytab wins", Credentials{Username: "svc@EXAMPLE.ORG", Password: "pw", Kerberos: &Kerberos{Keytab: "/k.keytab", CCache: "/cc", ConfigPath: "/my.conf"}},
			krbSource{configPath: "/my.conf", user: "svc", realm: "EXAMPLE.ORG", keytab: "/k.keytab"}, ""},
		{"explicit ccache", Credentials{Kerberos: &Kerberos{CCache: "FILE:/tmp/cc"}},
			krbSource{configPath: "/etc/krb5-a.conf", ccache: "/tmp/cc"}, ""},
		{"KRB5CCNAME", Credentials{Username: "alice"},
			krbSource{configPath: "/etc/krb5-a.conf", user: "alice", ccache: "/tmp/krb5cc_test"}, ""},
		{"keyring cache", Credentials{Kerberos: &Kerberos{CCache: "KEYRING:persistent:1000"}}, krbSource{}, "not a file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := krbSourceOf(Service, tt.cred)
			if tt.err != "" {
				if errors.CodeOf(err) != errors.InvalidArgument || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want InvalidArgument saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("source %+v, want %+v", got, tt.want)
			}
		})
	}
	t.Setenv("KRB5CCNAME", "")
	if _, err := NewSession(Negotiate, Proxy, Credentials{Username: "alice"}); errors.CodeOf(err) != errors.InvalidArgument || !strings.Contains(err.Error(), "no password, keytab or credential cache") {
		t.Errorf("no secret: %v", err)
	}
	if _, err := NewSession(Negotiate, Proxy, Credentials{}); errors.CodeOf(err) != errors.InvalidArgument || !strings.Contains(err.Error(), "user name") {
		t.Errorf("no user: %v", err)
	}
}

func writeKrb5Conf(t *testing.T, kdc string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "krb5.conf")
	conf := fmt.Sprintf(`[libdefaults]
  default_realm = %s
  udp_preference_limit = 1
  dns_lookup_kdc = false
  dns_lookup_realm = false
[realms]
  %s = {
    kdc = %s
  }
`, testRealm, testRealm, kdc)
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNegotiateConfigErrors(t *testing.T) {
	req := &Request{Method: "POST", URI: "/", Host: "svc.example"}
	sess, err := NewSession(Negotiate, Service, Credentials{Username: "alice", Password: "secret-pw",
		Kerberos: &Kerberos{ConfigPath: "/nonexistent/krb5.conf"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sess.Authorize(req, nil)
	if errors.CodeOf(err) != errors.InvalidArgument || !strings.Contains(err.Error(), "/nonexistent/krb5.conf") {
		t.Errorf("missing config: %v", err)
	}

	// A KDC that refuses connections: SecuritySystemFailure naming it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	sess, _ = NewSession(Negotiate, Proxy, Credentials{Username: "alice", Password: "secret-pw",
		Kerberos: &Kerberos{ConfigPath: writeKrb5Conf(t, addr)}})
	_, err = sess.Authorize(req, nil)
	if errors.CodeOf(err) != errors.SecuritySystemFailure || !strings.Contains(err.Error(), addr) || strings.Contains(err.Error(), "secret-pw") {
		t.Errorf("unreachable KDC: %v, want SecuritySystemFailure naming %s", err, addr)
	}
}

// fakeKDC answers requests over TCP with KRB-ERRORs of the codes in
// turn, the last repeating; a KDC_ERR_PREAUTH_REQUIRED carries the
// ETYPE-INFO2 a client needs to try again with pre-authentication, as a
// real KDC's first answer does.
func fakeKDC(t *testing.T, codes ...int32) string {
	t.Helper()
	info, err := asn1.Marshal(types.ETypeInfo2{{EType: etypeID.AES256_CTS_HMAC_SHA1_96, Salt: testRealm + "alice"}})
	if err != nil {
		t.Fatal(err)
	}
	edata, err := asn1.Marshal(types.PADataSequence{{PADataType: 19, PADataValue: info}})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		next int
	)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var n uint32
				if err := binary.Read(c, binary.BigEndian, &n); err != nil || n > 1<<16 {
					return
				}
				if _, err := io.CopyN(io.Discard, c, int64(n)); err != nil {
					return
				}
				mu.Lock()
				code := codes[min(next, len(codes)-1)]
				next++
				mu.Unlock()
				ke := messages.NewKRBError(types.NewPrincipalName(nametype.KRB_NT_SRV_INST, "krbtgt/"+testRealm), testRealm, code, "")
				if code == errorcode.KDC_ERR_PREAUTH_REQUIRED {
					ke.EData = edata
				}
				b, err := ke.Marshal()
				if err != nil {
					return
				}
				_ = binary.Write(c, binary.BigEndian, uint32(len(b)))
				_, _ = c.Write(b)
			}()
		}
	}()
	return l.Addr().String()
}

func TestNegotiateKDCErrors(t *testing.T) {
	req := &Request{Method: "POST", URI: "/", Host: "svc.example"}
	for _, tt := range []struct {
		codes  []int32
		target Target
		want   errors.Code
		says   string
	}{
		{[]int32{errorcode.KDC_ERR_PREAUTH_REQUIRED, errorcode.KDC_ERR_PREAUTH_FAILED}, Service, errors.EndpointAccessDenied, "password"},
		{[]int32{errorcode.KDC_ERR_C_PRINCIPAL_UNKNOWN}, Proxy, errors.ProxyAccessDenied, "does not know the user"},
		{[]int32{errorcode.KDC_ERR_PREAUTH_REQUIRED, errorcode.KDC_ERR_CLIENT_REVOKED}, Service, errors.EndpointAccessDenied, "disabled"},
	} {
		code := tt.codes[len(tt.codes)-1]
		conf := writeKrb5Conf(t, fakeKDC(t, tt.codes...))
		pw := fmt.Sprintf("pw-%d", code)
		sess, err := NewSession(Negotiate, tt.target, Credentials{Username: "alice", Password: pw, Kerberos: &Kerberos{ConfigPath: conf}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = sess.Authorize(req, nil)
		if errors.CodeOf(err) != tt.want || !strings.Contains(err.Error(), tt.says) || !strings.Contains(err.Error(), "alice@"+testRealm) || strings.Contains(err.Error(), pw) {
			t.Errorf("KDC error %d: %v, want %v saying %q and naming alice@%s", code, err, tt.want, tt.says, testRealm)
		}
	}
}

// TestKerberosClientCacheKey checks that the password is part of the
// cache key (hashed) so a wrong password never reuses a good login.
func TestKerberosClientCacheKey(t *testing.T) {
	a := krbSource{user: "alice", realm: testRealm, password: "one"}
	b := a
	b.password = "two"
	if a.key() == b.key() {
		t.Error("different passwords share a cache entry")
	}
	sum := sha256.Sum256([]byte("one"))
	if strings.Contains(a.key(), "one") || !strings.Contains(a.key(), string(sum[:])) {
		t.Error("the cache key holds the password in the clear")
	}
}
