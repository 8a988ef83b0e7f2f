package testcert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"fmt"
	"sync"
)

// KeyType is the kind of key a certificate gets.
type KeyType int

// The key types.
const (
	// ECDSAP256 is an ECDSA key on P-256, generated per certificate. The
	// default.
	ECDSAP256 KeyType = iota
	// RSA2048 is a 2048-bit RSA key, cached for the process by the
	// certificate's CommonName.
	RSA2048
)

// String names the key type.
func (k KeyType) String() string {
	switch k {
	case ECDSAP256:
		return "ECDSA P-256"
	case RSA2048:
		return "RSA 2048"
	}
	return fmt.Sprintf("KeyType(%d)", int(k))
}

// rsaKeys caches RSA keys by name: generating one takes a noticeable time
// (seconds under -race), and a test suite asks for the same identities
// again and again.
var rsaKeys struct {
	sync.Mutex
	byName map[string]*rsaEntry
}

type rsaEntry struct {
	once sync.Once
	key  *rsa.PrivateKey
	err  error
}

// newKey returns a private key of type k for a certificate named name.
func newKey(k KeyType, name string) (crypto.Signer, error) {
	switch k {
	case ECDSAP256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case RSA2048:
		rsaKeys.Lock()
		if rsaKeys.byName == nil {
			rsaKeys.byName = map[string]*rsaEntry{}
		}
		e := rsaKeys.byName[name]
		if e == nil {
			e = &rsaEntry{}
			rsaKeys.byName[name] = e
		}
		rsaKeys.Unlock()
		// Generated outside the map lock, so keys of different names are
		// made in parallel.
		e.once.Do(func() { e.key, e.err = rsa.GenerateKey(rand.Reader, 2048) })
		return e.key, e.err
	}
	return nil, fmt.Errorf("testcert: unknown key type %d", int(k))
}

// keyID is the subject key identifier of pub: the SHA-1 of its encoded
// form (RFC 5280 §4.2.1.2 method 1 uses the bit string; any stable hash
// serves as an identifier).
func keyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	sum := sha1.Sum(der)
	return sum[:], nil
}
