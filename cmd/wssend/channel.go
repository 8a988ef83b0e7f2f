package main

import (
	"crypto/tls"
	"crypto/x509"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// channelOptions turns the transport flags into channel options: the
// envelope and addressing versions, the size quota, the proxy, TLS.
func channelOptions(o *options, env message.EnvelopeVersion, addr message.AddressingVersion) ([]channel.Option, error) {
	opts := []channel.Option{
		channel.WithEnvelope(env),
		channel.WithAddressing(addr),
		channel.WithMaxBufferedMessageSize(o.maxSize),
		// A text run (a base64 attachment) may be as long as the message;
		// the other reader limits keep the channel's defaults.
		channel.WithReaderOptions(xmlio.Options{MaxTokenBytes: int(o.maxSize)}),
	}
	switch o.proxy {
	case "env":
		opts = append(opts, channel.WithProxy(channel.ProxyAuto))
	case "none":
		opts = append(opts, channel.WithProxy(channel.ProxyNone))
	default:
		opts = append(opts, channel.WithCustomProxy(o.proxy))
	}
	cfg, err := tlsConfig(o)
	if err != nil {
		return nil, err
	}
	if cfg != nil {
		opts = append(opts, channel.WithTLSConfig(cfg))
	}
	return opts, nil
}

// tlsConfig builds the TLS configuration of -cacert, -cert and -key (nil
// when none is given: the system's roots, no client certificate). There is
// deliberately no flag to skip verification: trust a test CA with -cacert.
func tlsConfig(o *options) (*tls.Config, error) {
	if o.cacert == "" && o.cert == "" {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.cacert != "" {
		pem, err := readFile(o.cacert, 16<<20)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.Errorf(errors.InvalidArgument, "-cacert %s: no PEM certificate in the file", o.cacert)
		}
		cfg.RootCAs = pool
	}
	if o.cert != "" {
		pair, err := tls.LoadX509KeyPair(o.cert, o.key)
		if err != nil {
			return nil, errors.Errorf(errors.InvalidArgument, "-cert %s -key %s: %w", o.cert, o.key, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}
