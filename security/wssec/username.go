package wssec

import (
	"crypto/sha1"
	"encoding/base64"
)

// PasswordDigest returns the UsernameToken Profile's password digest,
// Base64(SHA-1(nonce + created + password)), where nonce is the raw nonce
// (not its base64 form) and created the wsu:Created text exactly as sent.
func PasswordDigest(nonce []byte, created, password string) string {
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(created))
	h.Write([]byte(password))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}
