package main

import (
	"crypto"
	"crypto/x509"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/security"
	"github.com/wsgo/wsgo/security/wssec"
)

// securityOptions turns the TLS, authentication and WS-Security flags into
// channel options. Passwords must have been resolved (resolvePasswords).
func securityOptions(o *options) ([]channel.Option, error) {
	var opts []channel.Option
	s := &o.sec
	t, roots, err := transportSecurity(o)
	if err != nil {
		return nil, err
	}
	if t != nil {
		opts = append(opts, channel.WithTransportSecurity(*t))
	}
	if s.service.schemes != 0 {
		opts = append(opts, channel.WithServiceAuth(s.service.schemes, s.credentials(&s.service)))
	}
	if s.proxy.schemes != 0 {
		opts = append(opts, channel.WithProxyAuth(s.proxy.schemes, s.credentials(&s.proxy)))
	}
	if s.basicOverHTTP {
		opts = append(opts, channel.WithBasicOverHTTP(true))
	}
	m, err := messageSecurity(o, roots)
	if err != nil {
		return nil, err
	}
	if m != nil {
		opts = append(opts, channel.WithMessageSecurity(m))
	}
	return opts, nil
}

// credentials returns one target's credentials, with the Kerberos flags.
func (s *securityFlags) credentials(a *authFlags) security.Credentials {
	c := security.Credentials{Username: a.user, Password: a.password}
	if s.krb5Conf != "" || s.keytab != "" || s.ccache != "" || s.spn != "" {
		c.Kerberos = &security.Kerberos{ConfigPath: s.krb5Conf, Keytab: s.keytab, CCache: s.ccache, SPN: s.spn}
		if a == &s.proxy {
			c.Kerberos.SPN = "" // -spn names the service's principal
		}
	}
	return c
}

// transportSecurity builds the TLS settings of -cacert, -cert/-key,
// -ignore-cert and -tls-min (nil when none is given: the system's roots,
// no client certificate, every certificate failure fatal). It also returns
// the -cacert pool, which -wss-verify-reply trusts too.
func transportSecurity(o *options) (*security.TLS, *x509.CertPool, error) {
	s := &o.sec
	if o.cacert == "" && o.cert == "" && s.ignoreCert == 0 && s.tlsMin == 0 {
		return nil, nil, nil
	}
	t := &security.TLS{MinVersion: s.tlsMin, IgnoreCertFailures: s.ignoreCert}
	if o.cacert != "" {
		pool, err := security.LoadRootCAs(o.cacert)
		if err != nil {
			return nil, nil, withFlag(err, "-cacert")
		}
		t.RootCAs = pool
	}
	if o.cert != "" {
		pair, err := security.LoadClientCertificate(o.cert, o.key)
		if err != nil {
			return nil, nil, withFlag(err, "-cert/-key")
		}
		t.Certificates = append(t.Certificates, pair)
	}
	return t, t.RootCAs, nil
}

// messageSecurity builds the WS-Security of the -wss-* flags, or nil.
func messageSecurity(o *options, roots *x509.CertPool) (channel.MessageSecurity, error) {
	w := &o.sec.wss
	if w.user == "" && w.signCert == "" && w.timestamp == 0 && !w.verifyReply {
		return nil, nil
	}
	client := &wssec.Client{}
	if w.user != "" || w.signCert != "" || w.timestamp > 0 {
		cfg := wssec.Config{
			Username:       w.user,
			Password:       w.password,
			PasswordDigest: w.digest,
			Timestamp:      w.timestamp > 0,
			TimestampTTL:   w.timestamp,
		}
		if w.signCert != "" {
			pair, err := security.LoadClientCertificate(w.signCert, w.signKey)
			if err != nil {
				return nil, withFlag(err, "-wss-sign")
			}
			signer, ok := pair.PrivateKey.(crypto.Signer)
			if !ok {
				return nil, usageErrorf("-wss-sign %s: the key cannot sign", w.signKey)
			}
			cfg.Signer = signer
			for _, der := range pair.Certificate {
				c, err := x509.ParseCertificate(der)
				if err != nil {
					return nil, usageErrorf("-wss-sign %s: %v", w.signCert, err)
				}
				cfg.Certificates = append(cfg.Certificates, c)
			}
		}
		sec, err := wssec.NewSecurer(cfg)
		if err != nil {
			return nil, withFlag(err, "-wss-*")
		}
		client.Requests = sec
	}
	if w.verifyReply {
		// Only the CAs named with -cacert: with the system's roots, any
		// publicly issued certificate could sign a forged reply.
		if roots == nil {
			return nil, usageErrorf("-wss-verify-reply needs -cacert: the CA (or the certificate itself) that the service's signing certificate must chain to")
		}
		v, err := wssec.NewVerifier(wssec.Policy{RequireSignature: true, Roots: roots})
		if err != nil {
			return nil, withFlag(err, "-wss-verify-reply")
		}
		client.VerifyReplies = v
	}
	return client, nil
}

// withFlag turns an error in what a flag names (a file that is not a
// certificate, a key that does not match) into a usage error naming the
// flag: exit status 2, like any other bad command line.
func withFlag(err error, flag string) error {
	return errors.Errorf(errors.InvalidArgument, "%s: %v", flag, err)
}
