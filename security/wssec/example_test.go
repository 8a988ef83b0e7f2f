package wssec_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/wsgo/wsgo/security/wssec"
)

// A UsernameToken with a password digest and a Timestamp, added by a
// Securer and checked by a Verifier; the same envelope a second time is a
// replay.
func ExampleNewVerifier() {
	sec, err := wssec.NewSecurer(wssec.Config{Username: "alice", Password: "wonderland", PasswordDigest: true, Timestamp: true})
	if err != nil {
		log.Fatal(err)
	}
	ver, err := wssec.NewVerifier(wssec.Policy{
		RequireUsernameToken: true, RequirePasswordDigest: true, RequireTimestamp: true,
		Password: func(_ context.Context, user string) (string, error) {
			if user == "alice" {
				return "wonderland", nil
			}
			return "", errors.New("no such user")
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	env := []byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Ping xmlns="urn:example"/></s:Body></s:Envelope>`)
	secured, err := sec.Secure(ctx, env)
	if err != nil {
		log.Fatal(err)
	}
	res, err := ver.Verify(ctx, secured)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", res.Username)
	_, err = ver.Verify(ctx, secured)
	var f *wssec.Failure
	if errors.As(err, &f) {
		fmt.Println("again:", f.Subcode.Local)
	}
	// Output:
	// verified: alice
	// again: InvalidSecurity
}
