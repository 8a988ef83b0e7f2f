package channel_test

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/security"
)

// passThrough is a MessageSecurity that changes nothing.
type passThrough struct{}

func (passThrough) Secure(_ context.Context, env []byte) ([]byte, error) { return env, nil }
func (passThrough) Verify(context.Context, []byte) (any, error)          { return nil, nil }

// TestNewValidatesSecurityOptions checks that New refuses transport and
// message security settings that could only fail later, at the first
// exchange.
func TestNewValidatesSecurityOptions(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []channel.Option
		says string
	}{
		{"TLS MinVersion", []channel.Option{channel.WithTransportSecurity(security.TLS{MinVersion: 0x0200})}, "MinVersion"},
		{"TLS ignore bits", []channel.Option{channel.WithTransportSecurity(security.TLS{IgnoreCertFailures: 0x8000})}, "IgnoreCertFailures"},
		{"message security streamed", []channel.Option{channel.WithMessageSecurity(passThrough{}), channel.WithTransferMode(channel.StreamedInput)}, "buffered"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ch, err := channel.New(channel.Request, tt.opts...)
			if ch != nil || errors.CodeOf(err) != errors.InvalidArgument || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("New = %v, %v; want InvalidArgument saying %q", ch, err, tt.says)
			}
		})
	}
	for name, opts := range map[string][]channel.Option{
		"TLS 1.3 minimum":    {channel.WithTransportSecurity(security.TLS{MinVersion: tls.VersionTLS13})},
		"TLS with config":    {channel.WithTLSConfig(&tls.Config{MinVersion: tls.VersionTLS12}), channel.WithTransportSecurity(security.TLS{IgnoreCertFailures: security.CertCNMismatch})},
		"message buffered":   {channel.WithMessageSecurity(passThrough{})},
		"no security at all": nil,
	} {
		if _, err := channel.New(channel.Request, opts...); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
