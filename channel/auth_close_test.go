package channel_test

import (
	"context"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/security"
)

// TestAuthAfterReset checks that Close, which closes the channel's
// authenticators (and with them any Kerberos login), does not stop a
// channel that is Reset and opened again from authenticating.
func TestAuthAfterReset(t *testing.T) {
	s := newNTLMServer(t, nil)
	ch := openChannel(t, s.srv.URL, channel.WithServiceAuth(security.NTLM|security.Negotiate, ntlmCred))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for round := range 3 {
		if err := addOnce(ctx, ch); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if err := ch.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if err := ch.Reset(); err != nil {
			t.Fatal(err)
		}
		if err := ch.Open(ctx, s.srv.URL); err != nil {
			t.Fatal(err)
		}
	}
	if hs, bad, _ := s.stats(); hs != 3 || len(bad) != 0 {
		t.Errorf("handshakes %d (want one per Open: Close drops the authenticated connection), violations %q", hs, bad)
	}
	if err := ch.Close(ctx); err != nil {
		t.Fatal(err)
	}
}
