package interop_test

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/internal/peers"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/security"
	"github.com/wsgo/wsgo/service"
)

// TestNegotiateLoginEndsWithChannel checks that a channel's Kerberos login
// (and gokrb5's ticket renewal goroutine that comes with it) lives exactly
// as long as the channel: Negotiate to apache's /negotiate/ with a real MIT
// KDC, logging in with a password and with a keytab, then Close or Abort,
// and no goroutine of the channel is left.
func TestNegotiateLoginEndsWithChannel(t *testing.T) {
	be := startBackend(t)
	kdc := peers.StartKDC(t)
	ap := peers.StartApache(t, peers.ApacheOptions{Backend: be.URL, KDC: kdc})
	password := security.Credentials{Username: kdc.Principal, Password: peers.Password,
		Kerberos: &security.Kerberos{ConfigPath: kdc.ConfigPath}}
	keytab := security.Credentials{Username: kdc.Principal,
		Kerberos: &security.Kerberos{ConfigPath: kdc.ConfigPath, Keytab: kdc.UserKeytab(t)}}
	for _, tt := range []struct {
		name  string
		cred  security.Credentials
		abort bool
	}{
		{"password/close", password, false},
		{"keytab/close", keytab, false},
		{"password/abort", password, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// The backend's server side keeps apache's proxy connections.
			leaks := []goleak.Option{goleak.IgnoreCurrent(), goleak.IgnoreAnyFunction("net/http.(*conn).serve")}
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			client, err := service.NewClient(ctx, ap.URL+"/negotiate/",
				channel.WithEnvelope(message.SOAP11), channel.WithAddressing(message.AddressingTransport),
				channel.WithProxy(channel.ProxyNone), channel.WithServiceAuth(security.Negotiate, tt.cred))
			if err != nil {
				t.Fatal(err)
			}
			for i := range int32(2) {
				out, err := service.Call[calc.AddResponse](ctx, client, actionAdd, &calc.Add{A: i, B: 3})
				if err != nil {
					client.Abort()
					t.Fatalf("call %d: %v", i, err)
				}
				if out.Result != i+3 {
					t.Errorf("Add(%d, 3) = %d", i, out.Result)
				}
			}
			// The check can fail: while the channel is open, its login
			// renews its ticket in a goroutine.
			if err := goleak.Find(leaks...); err == nil || !strings.Contains(err.Error(), "enableAutoSessionRenewal") {
				t.Errorf("no Kerberos renewal goroutine while the channel is open (goleak: %v)", err)
			}
			if tt.abort {
				client.Abort()
			} else if err := client.Close(ctx); err != nil {
				t.Fatal(err)
			}
			goleak.VerifyNone(t, leaks...)
		})
	}
}
