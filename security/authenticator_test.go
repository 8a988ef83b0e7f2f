package security

import (
	"encoding/base64"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	krbcrypto "github.com/jcmturner/gokrb5/v8/crypto"
	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/iana/keyusage"
	"github.com/jcmturner/gokrb5/v8/iana/msgtype"
	"github.com/jcmturner/gokrb5/v8/iana/patype"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/service"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/jcmturner/gokrb5/v8/types"
	"go.uber.org/goleak"

	"github.com/wsgo/wsgo/errors"
)

// issuingKDC is a KDC for testRealm over TCP that issues tickets: an
// AS-REP with a ticket-granting ticket for any user whose key derives from
// password (no pre-authentication), and a TGS-REP with a service ticket
// for HTTP/svc.example, encrypted with the key in kt, which the service
// side verifies with. It counts the requests of each kind.
type issuingKDC struct {
	t        *testing.T
	password string
	kt       *keytab.Keytab // krbtgt/testRealm and HTTP/svc.example
	addr     string
	l        net.Listener
	wg       sync.WaitGroup
	as, tgs  atomic.Int32
}

func startIssuingKDC(t *testing.T, password string) *issuingKDC {
	t.Helper()
	kt := keytab.New()
	for _, p := range []string{"krbtgt/" + testRealm, "HTTP/svc.example"} {
		if err := kt.AddEntry(p, testRealm, p+"-secret", time.Now(), 1, etypeID.AES256_CTS_HMAC_SHA1_96); err != nil {
			t.Fatal(err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	k := &issuingKDC{t: t, password: password, kt: kt, addr: l.Addr().String(), l: l}
	k.wg.Add(1)
	go k.serve()
	t.Cleanup(k.stop)
	return k
}

// stop closes the listener and waits for every connection handler.
func (k *issuingKDC) stop() {
	k.l.Close()
	k.wg.Wait()
}

func (k *issuingKDC) serve() {
	defer k.wg.Done()
	for {
		c, err := k.l.Accept()
		if err != nil {
			return
		}
		k.wg.Add(1)
		go func() {
			defer k.wg.Done()
			defer c.Close()
			var n uint32
			if err := binary.Read(c, binary.BigEndian, &n); err != nil || n > 1<<16 {
				return
			}
			req := make([]byte, n)
			if _, err := io.ReadFull(c, req); err != nil {
				return
			}
			rep, err := k.answer(req)
			if err != nil {
				k.t.Errorf("fake KDC: %v", err)
				return
			}
			_ = binary.Write(c, binary.BigEndian, uint32(len(rep)))
			_, _ = c.Write(rep)
		}()
	}
}

func (k *issuingKDC) answer(req []byte) ([]byte, error) {
	switch req[0] {
	case 0x6a: // [APPLICATION 10] AS-REQ
		k.as.Add(1)
		return k.asRep(req)
	case 0x6c: // [APPLICATION 12] TGS-REQ
		k.tgs.Add(1)
		return k.tgsRep(req)
	}
	return nil, errors.Errorf(errors.InvalidFormat, "request tag 0x%02x", req[0])
}

// times are a fresh ticket's: valid for an hour, so that gokrb5's renewal
// goroutine sleeps for the whole test.
func ticketTimes() (now, end time.Time) {
	now = time.Now().UTC().Truncate(time.Second)
	return now, now.Add(time.Hour)
}

func (k *issuingKDC) asRep(b []byte) ([]byte, error) {
	var req messages.ASReq
	if err := req.Unmarshal(b); err != nil {
		return nil, err
	}
	body := req.ReqBody
	now, end := ticketTimes()
	tgt, key, err := messages.NewTicket(body.CName, body.Realm, body.SName, body.Realm, types.NewKrbFlags(),
		k.kt, etypeID.AES256_CTS_HMAC_SHA1_96, 1, now, now, end, end)
	if err != nil {
		return nil, err
	}
	userKey, _, err := krbcrypto.GetKeyFromPassword(k.password, body.CName, body.Realm, etypeID.AES256_CTS_HMAC_SHA1_96, nil)
	if err != nil {
		return nil, err
	}
	ed, err := encKDCRepPart(key, body, userKey, keyusage.AS_REP_ENCPART, now, end)
	if err != nil {
		return nil, err
	}
	rep := messages.ASRep{KDCRepFields: messages.KDCRepFields{PVNO: 5, MsgType: msgtype.KRB_AS_REP,
		CRealm: body.Realm, CName: body.CName, Ticket: tgt, EncPart: ed}}
	return rep.Marshal()
}

func (k *issuingKDC) tgsRep(b []byte) ([]byte, error) {
	var req messages.TGSReq
	if err := req.Unmarshal(b); err != nil {
		return nil, err
	}
	var ap messages.APReq
	for _, pa := range req.PAData {
		if pa.PADataType == patype.PA_TGS_REQ {
			if err := ap.Unmarshal(pa.PADataValue); err != nil {
				return nil, err
			}
		}
	}
	if err := ap.Ticket.DecryptEncPart(k.kt, nil); err != nil {
		return nil, err
	}
	body := req.ReqBody
	now, end := ticketTimes()
	tkt, key, err := messages.NewTicket(body.CName, body.Realm, body.SName, body.Realm, types.NewKrbFlags(),
		k.kt, etypeID.AES256_CTS_HMAC_SHA1_96, 1, now, now, end, end)
	if err != nil {
		return nil, err
	}
	ed, err := encKDCRepPart(key, body, ap.Ticket.DecryptedEncPart.Key, keyusage.TGS_REP_ENCPART_SESSION_KEY, now, end)
	if err != nil {
		return nil, err
	}
	rep := messages.TGSRep{KDCRepFields: messages.KDCRepFields{PVNO: 5, MsgType: msgtype.KRB_TGS_REP,
		CRealm: body.Realm, CName: body.CName, Ticket: tkt, EncPart: ed}}
	return rep.Marshal()
}

// encKDCRepPart encrypts the reply part giving the client the ticket's
// session key.
func encKDCRepPart(key types.EncryptionKey, body messages.KDCReqBody, with types.EncryptionKey, usage uint32, now, end time.Time) (types.EncryptedData, error) {
	part := messages.EncKDCRepPart{Key: key, LastReqs: []messages.LastReq{}, Nonce: body.Nonce, Flags: types.NewKrbFlags(),
		AuthTime: now, StartTime: now, EndTime: end, RenewTill: end, SRealm: body.Realm, SName: body.SName}
	b, err := part.Marshal()
	if err != nil {
		return types.EncryptedData{}, err
	}
	return krbcrypto.GetEncryptedData(b, with, usage, 1)
}

// acceptNegotiate is the service's side of the handshake: it verifies the
// AP-REQ in header with gokrb5's acceptor and returns the final token with
// the AP-REP.
func (k *issuingKDC) acceptNegotiate(t *testing.T, header string) *Challenge {
	t.Helper()
	b64, ok := strings.CutPrefix(header, "Negotiate ")
	if !ok {
		t.Fatalf("credentials %q are not Negotiate", header)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	var st spnego.SPNEGOToken
	if err := st.Unmarshal(raw); err != nil {
		t.Fatal(err)
	}
	var mech spnego.KRB5Token
	if err := mech.Unmarshal(st.NegTokenInit.MechTokenBytes); err != nil {
		t.Fatal(err)
	}
	ok, creds, err := service.VerifyAPREQ(&mech.APReq, service.NewSettings(k.kt, service.DecodePAC(false)))
	if err != nil || !ok {
		t.Fatalf("gokrb5 acceptor: %v, %v", ok, err)
	}
	if creds.UserName() != "alice" || creds.Domain() != testRealm {
		t.Errorf("authenticated %s@%s, want alice@%s", creds.UserName(), creds.Domain(), testRealm)
	}
	a := mech.APReq.Authenticator
	return &Challenge{Scheme: Negotiate, Name: "Negotiate",
		Token: apRepToken(t, mech.APReq.Ticket.DecryptedEncPart.Key, a.CTime, a.Cusec, 0)}
}

// handshake runs one Negotiate handshake of sess against k.
func (k *issuingKDC) handshake(t *testing.T, sess Session) {
	t.Helper()
	req := &Request{Method: "POST", URI: "/svc", Host: "svc.example"}
	h, err := sess.Authorize(req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Complete(req, k.acceptNegotiate(t, h)); err != nil {
		t.Fatalf("mutual authentication: %v", err)
	}
}

// leakOptions ignores the goroutines running now, and gokrb5's replay
// cache cleaner, which the service side starts once per process.
func leakOptions() goleak.Option {
	service.GetReplayCache(5 * time.Minute)
	return goleak.IgnoreCurrent()
}

// wantRenewal fails unless gokrb5's ticket renewal goroutine is running:
// the check that the leak tests can fail.
func wantRenewal(t *testing.T, leaks goleak.Option) {
	t.Helper()
	err := goleak.Find(leaks)
	if err == nil || !strings.Contains(err.Error(), "enableAutoSessionRenewal") {
		t.Fatalf("no Kerberos renewal goroutine while logged in (goleak: %v)", err)
	}
}

func aliceAt(k *issuingKDC, password string) Credentials {
	return Credentials{Username: "alice@" + testRealm, Password: password,
		Kerberos: &Kerberos{ConfigPath: writeKrb5Conf(k.t, k.addr)}}
}

// TestAuthenticatorNegotiateLifetime runs Negotiate handshakes through an
// Authenticator against gokrb5's acceptor: one login serves them all, its
// renewal goroutine runs until Close and not after, and a closed
// Authenticator refuses Negotiate.
func TestAuthenticatorNegotiateLifetime(t *testing.T) {
	leaks := leakOptions()
	kdc := startIssuingKDC(t, "alice-pw")
	a := NewAuthenticator(Service, aliceAt(kdc, "alice-pw"))
	for range 3 {
		sess, err := a.NewSession(Negotiate)
		if err != nil {
			t.Fatal(err)
		}
		kdc.handshake(t, sess)
	}
	if as, tgs := kdc.as.Load(), kdc.tgs.Load(); as != 1 || tgs != 1 {
		t.Errorf("%d logins and %d ticket requests for three handshakes, want one of each", as, tgs)
	}
	late, err := a.NewSession(Negotiate)
	if err != nil {
		t.Fatal(err)
	}
	kdc.stop()
	wantRenewal(t, leaks)

	a.Close()
	goleak.VerifyNone(t, leaks)

	if _, err := a.NewSession(Negotiate); errors.CodeOf(err) != errors.InvalidOperation || !strings.Contains(err.Error(), "closed") {
		t.Errorf("NewSession after Close: %v, want InvalidOperation saying closed", err)
	}
	if _, err := late.Authorize(&Request{Method: "POST", URI: "/", Host: "svc.example"}, nil); errors.CodeOf(err) != errors.InvalidOperation {
		t.Errorf("Authorize of a session made before Close: %v, want InvalidOperation", err)
	}
	if _, err := a.NewSession(Basic); err != nil {
		t.Errorf("Basic after Close: %v", err)
	}
	a.Close() // idempotent
}

// TestNewSessionNegotiateOwnLogin checks that a standalone Negotiate
// session's login ends within Authorize: nothing runs after it, even
// without Complete, and each session logs in anew.
func TestNewSessionNegotiateOwnLogin(t *testing.T) {
	leaks := leakOptions()
	kdc := startIssuingKDC(t, "alice-pw")
	cred := aliceAt(kdc, "alice-pw")
	sess, err := NewSession(Negotiate, Service, cred)
	if err != nil {
		t.Fatal(err)
	}
	kdc.handshake(t, sess)
	abandoned, err := NewSession(Negotiate, Service, cred)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := abandoned.Authorize(&Request{Method: "POST", URI: "/", Host: "svc.example"}, nil); err != nil {
		t.Fatal(err)
	}
	if as := kdc.as.Load(); as != 2 {
		t.Errorf("%d logins for two standalone sessions, want 2", as)
	}
	kdc.stop()
	goleak.VerifyNone(t, leaks)
}

// TestAuthenticatorFailedLoginNotKept checks that a refused login is
// tried again by the next session, and leaves nothing running.
func TestAuthenticatorFailedLoginNotKept(t *testing.T) {
	leaks := leakOptions()
	kdc := startIssuingKDC(t, "alice-pw")
	a := NewAuthenticator(Proxy, aliceAt(kdc, "wrong-pw"))
	defer a.Close()
	for range 2 {
		sess, err := a.NewSession(Negotiate)
		if err != nil {
			t.Fatal(err)
		}
		_, err = sess.Authorize(&Request{Method: "POST", URI: "/", Host: "svc.example"}, nil)
		if errors.CodeOf(err) != errors.ProxyAccessDenied || !strings.Contains(err.Error(), "password") || strings.Contains(err.Error(), "wrong-pw") {
			t.Fatalf("wrong password: %v, want ProxyAccessDenied about the password", err)
		}
	}
	if as := kdc.as.Load(); as != 2 {
		t.Errorf("%d logins for two sessions after a refused one, want 2", as)
	}
	kdc.stop()
	goleak.VerifyNone(t, leaks)
}

// TestAuthenticatorConcurrentSessions has many sessions log in at once
// through one Authenticator: one login, then nothing left after Close.
func TestAuthenticatorConcurrentSessions(t *testing.T) {
	leaks := leakOptions()
	kdc := startIssuingKDC(t, "alice-pw")
	a := NewAuthenticator(Service, aliceAt(kdc, "alice-pw"))
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			sess, err := a.NewSession(Negotiate)
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := sess.Authorize(&Request{Method: "POST", URI: "/", Host: "svc.example"}, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if as := kdc.as.Load(); as != 1 {
		t.Errorf("%d logins for 16 concurrent sessions, want 1", as)
	}
	kdc.stop()
	a.Close()
	goleak.VerifyNone(t, leaks)
}

// TestAuthenticatorCloseWhileInUse checks that Close leaves a login in use
// alone and that the last release destroys it.
func TestAuthenticatorCloseWhileInUse(t *testing.T) {
	leaks := leakOptions()
	kdc := startIssuingKDC(t, "alice-pw")
	cred := aliceAt(kdc, "alice-pw")
	src, err := krbSourceOf(Service, cred)
	if err != nil {
		t.Fatal(err)
	}
	a := NewAuthenticator(Service, cred)
	cl, release, err := a.login(src)
	if err != nil {
		t.Fatal(err)
	}
	kdc.stop()
	a.Close()
	if cl.Credentials.UserName() != "alice" {
		t.Fatal("Close destroyed a login still in use")
	}
	wantRenewal(t, leaks)
	release()
	if cl.Credentials.UserName() != "" {
		t.Error("the last release did not destroy the login")
	}
	goleak.VerifyNone(t, leaks)
}

func TestAuthenticatorArguments(t *testing.T) {
	cred := Credentials{Username: "alice@" + testRealm, Password: "pw"}
	for _, tt := range []struct {
		name   string
		target Target
		s      Scheme
		want   string
	}{
		{"bad target", 0, Negotiate, "target"},
		{"two schemes", Service, Negotiate | NTLM, "exactly one scheme"},
		{"anonymous", Proxy, Anonymous, "anonymous"},
	} {
		sess, err := NewAuthenticator(tt.target, cred).NewSession(tt.s)
		if sess != nil || errors.CodeOf(err) != errors.InvalidArgument || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, %v; want InvalidArgument saying %q", tt.name, sess, err, tt.want)
		}
	}
	if _, err := NewAuthenticator(Service, Credentials{}).NewSession(Negotiate); errors.CodeOf(err) != errors.InvalidArgument {
		t.Errorf("no user: %v", err)
	}
	for _, s := range []Scheme{Basic, Digest, NTLM, Negotiate} {
		sess, err := NewAuthenticator(Proxy, cred).NewSession(s)
		if err != nil || sess.Scheme() != s {
			t.Errorf("%v: %v, %v", s, sess, err)
		}
	}
}
