package channel_test

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/security"
)

// ntlmConnKey finds a connection's state in a request's context.
type ntlmConnKey struct{}

// ntlmConn is what an NTLM-shaped server knows of one connection.
type ntlmConn struct {
	negotiated bool // a NEGOTIATE_MESSAGE arrived on it
	authed     bool // an AUTHENTICATE_MESSAGE followed on it
}

// ntlmServer is shaped like IIS with NTLM: it checks message types 1 and
// 3 arrive on one connection (not the NTLMv2 response: that is the
// Apache peer's job), then serves requests on that connection without
// credentials.
type ntlmServer struct {
	srv *httptest.Server
	// reject answers every AUTHENTICATE_MESSAGE with a new challenge.
	reject bool
	// closeAfterChallenge drops the connection after the CHALLENGE.
	closeAfterChallenge bool

	mu         sync.Mutex
	handshakes int
	violations []string
	authzAfter int // requests with credentials on an authenticated connection
}

func newNTLMServer(t *testing.T, configure func(*ntlmServer)) *ntlmServer {
	s := &ntlmServer{}
	if configure != nil {
		configure(s)
	}
	next := addHandler()
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := r.Context().Value(ntlmConnKey{}).(*ntlmConn)
		v := r.Header.Get("Authorization")
		s.mu.Lock()
		defer s.mu.Unlock()
		if v == "" {
			if c.authed {
				s.mu.Unlock()
				next.ServeHTTP(w, r)
				s.mu.Lock()
				return
			}
			s.challenge(w, r, "NTLM")
			return
		}
		if c.authed {
			s.authzAfter++
		}
		tok, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(v, "NTLM "))
		if !strings.HasPrefix(v, "NTLM ") || err != nil || len(tok) < 12 || string(tok[:8]) != "NTLMSSP\x00" {
			s.violations = append(s.violations, "not an NTLM message: "+v)
			s.challenge(w, r, "NTLM")
			return
		}
		switch binary.LittleEndian.Uint32(tok[8:]) {
		case 1:
			c.negotiated = true
			if s.closeAfterChallenge {
				w.Header().Set("Connection", "close")
			}
			s.challenge(w, r, "NTLM "+base64.StdEncoding.EncodeToString(ntlmChallengeMessage()))
		case 3:
			if !c.negotiated {
				s.violations = append(s.violations, "AUTHENTICATE on a connection that never sent NEGOTIATE")
				s.challenge(w, r, "NTLM")
				return
			}
			c.negotiated = false
			if s.reject {
				s.challenge(w, r, "NTLM")
				return
			}
			c.authed = true
			s.handshakes++
			s.mu.Unlock()
			next.ServeHTTP(w, r)
			s.mu.Lock()
		default:
			s.violations = append(s.violations, "unexpected message type")
			s.challenge(w, r, "NTLM")
		}
	}))
	s.srv.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, ntlmConnKey{}, &ntlmConn{})
	}
	s.srv.Start()
	t.Cleanup(s.srv.Close)
	return s
}

func (s *ntlmServer) challenge(w http.ResponseWriter, r *http.Request, v string) {
	drainRequest(r)
	w.Header().Set("WWW-Authenticate", v)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusUnauthorized)
}

func (s *ntlmServer) stats() (handshakes int, violations []string, authzAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.handshakes, append([]string(nil), s.violations...), s.authzAfter
}

// ntlmChallengeMessage is a CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2) with a
// domain name and an empty target info but for the domain.
func ntlmChallengeMessage() []byte {
	utf16 := func(s string) []byte {
		b := make([]byte, 0, 2*len(s))
		for _, r := range s {
			b = append(b, byte(r), 0)
		}
		return b
	}
	name := utf16("CORP")
	info := []byte{2, 0, byte(len(name)), 0}
	info = append(info, name...)
	info = append(info, 0, 0, 0, 0) // MsvAvEOL
	msg := make([]byte, 56)
	copy(msg, "NTLMSSP\x00")
	binary.LittleEndian.PutUint32(msg[8:], 2)
	binary.LittleEndian.PutUint32(msg[20:], 0xa2898215)
	copy(msg[24:], "\x01\x23\x45\x67\x89\xab\xcd\xef")
	copy(msg[48:], []byte{10, 0, 0x63, 0x45, 0, 0, 0, 15})
	field := func(off, n int) {
		binary.LittleEndian.PutUint16(msg[off:], uint16(n))
		binary.LittleEndian.PutUint16(msg[off+2:], uint16(n))
		binary.LittleEndian.PutUint32(msg[off+4:], uint32(len(msg)))
	}
	field(12, len(name))
	msg = append(msg, name...)
	field(40, len(info))
	return append(msg, info...)
}

var ntlmCred = security.Credentials{Username: `CORP\alice`, Password: authPass}

// openChannel opens a channel to url with opts.
func openChannel(t *testing.T, url string, opts ...channel.Option) *channel.Channel {
	t.Helper()
	ch, err := channel.New(channel.Request, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.Open(context.Background(), url); err != nil {
		t.Fatal(err)
	}
	return ch
}

func addOnce(ctx context.Context, ch *channel.Channel) error {
	req, _ := ch.NewMessage()
	reply, _ := ch.NewMessage()
	var out AddResponse
	err := ch.Request(ctx, req, &Add{A: 40, B: 2}, reply, &out)
	if err == nil && out.Result != 42 {
		return errors.Errorf(errors.InvalidFormat, "result %d", out.Result)
	}
	return err
}

func TestAuthNTLMLegsShareOneConnection(t *testing.T) {
	leaks := goleak.IgnoreCurrent()
	s := newNTLMServer(t, nil)
	ch := openChannel(t, s.srv.URL, channel.WithServiceAuth(security.NTLM|security.Negotiate, ntlmCred))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for i := 0; i < 5; i++ {
		if err := addOnce(ctx, ch); err != nil {
			t.Fatal(err)
		}
	}
	hs, bad, after := s.stats()
	if hs != 1 || len(bad) != 0 || after != 0 {
		t.Fatalf("handshakes %d (want 1), violations %q, credentials on an authenticated connection %d", hs, bad, after)
	}
	if err := ch.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s.srv.Close()
	goleak.VerifyNone(t, leaks)
}

func TestAuthNTLMConcurrentLanes(t *testing.T) {
	leaks := goleak.IgnoreCurrent()
	s := newNTLMServer(t, nil)
	ch := openChannel(t, s.srv.URL, channel.WithServiceAuth(security.NTLM, ntlmCred), channel.WithMaxConnsPerHost(3))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 8*6)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 6; i++ {
				if err := addOnce(ctx, ch); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	hs, bad, after := s.stats()
	if hs < 1 || hs > 3 || len(bad) != 0 || after != 0 {
		t.Fatalf("handshakes %d (want 1..3: one per lane), violations %q, credentials on authenticated connections %d", hs, bad, after)
	}
	ch.Abort()
	s.srv.Close()
	goleak.VerifyNone(t, leaks)
}

func TestAuthNTLMRejected(t *testing.T) {
	s := newNTLMServer(t, func(s *ntlmServer) { s.reject = true })
	ch := openChannel(t, s.srv.URL, channel.WithServiceAuth(security.NTLM, ntlmCred))
	defer ch.Close(context.Background())
	err := addOnce(context.Background(), ch)
	wantAuthCode(t, err, errors.EndpointAccessDenied, "alice")
	if !errors.Is(err, security.ErrRejected) {
		t.Errorf("%v does not wrap ErrRejected", err)
	}
}

func TestAuthNTLMConnectionLostMidHandshake(t *testing.T) {
	s := newNTLMServer(t, func(s *ntlmServer) { s.closeAfterChallenge = true })
	ch := openChannel(t, s.srv.URL, channel.WithServiceAuth(security.NTLM, ntlmCred))
	defer ch.Close(context.Background())
	err := addOnce(context.Background(), ch)
	wantAuthCode(t, err, errors.EndpointDisconnected, "middle of the NTLM handshake")
	if _, bad, _ := s.stats(); len(bad) != 0 {
		t.Fatalf("the AUTHENTICATE went on another connection: %q", bad)
	}
}
