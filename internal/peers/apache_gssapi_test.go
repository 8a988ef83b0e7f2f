package peers_test

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	ntlmssp "github.com/Azure/go-ntlmssp"

	"github.com/wsgo/wsgo/internal/peers"
)

// ntlmGet fetches url through go-ntlmssp's Negotiator, a third-party NTLMv2
// client whose NEGOTIATE carries the Version field, with user (DOMAIN\user)
// and password, on a connection of its own (the server binds the
// authentication to the connection), and returns the final status and body
// and the Authorization headers it sent and the NTLM WWW-Authenticate
// headers (the CHALLENGEs) it got.
func ntlmGet(t *testing.T, url, user, password string) (status int, body string, sent, challenges []string) {
	t.Helper()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	rec := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if a := req.Header.Get("Authorization"); a != "" {
			sent = append(sent, a)
		}
		resp, err := tr.RoundTrip(req)
		if err == nil {
			for _, ch := range resp.Header.Values("WWW-Authenticate") {
				if strings.HasPrefix(ch, "NTLM ") {
					challenges = append(challenges, ch)
				}
			}
		}
		return resp, err
	})
	client := &http.Client{Transport: ntlmssp.Negotiator{RoundTripper: rec}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(user, password)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("NTLM GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), sent, challenges
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// ntlmMessage decodes the NTLM message of an "NTLM <base64>" header.
func ntlmMessage(t *testing.T, header string) []byte {
	t.Helper()
	scheme, token, _ := strings.Cut(header, " ")
	if scheme != "NTLM" {
		t.Fatalf("header %q is not NTLM", header)
	}
	b, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		t.Fatalf("header %q: %v", header, err)
	}
	return b
}

func TestApacheNTLM(t *testing.T) {
	be := newBackend(t, false)
	a := peers.StartApache(t, peers.ApacheOptions{Backend: be.URL})
	url := a.URL + "/ntlm/z"

	r := curl(t, nil, url)
	r.expect(t, "ntlm without credentials", http.StatusUnauthorized, "")
	// mod_auth_gssapi offers Negotiate always, and NTLM beside it when the
	// ntlmssp mechanism is there.
	if got := r.headers("WWW-Authenticate", false); !slices.Equal(got, []string{"Negotiate", "NTLM"}) {
		t.Errorf("ntlm challenge %q, want [Negotiate NTLM]", got)
	}

	status, body, sent, challenges := ntlmGet(t, url, peers.Domain+`\`+peers.User, peers.Password)
	if status != http.StatusOK || body != "ok /z" {
		t.Errorf("go-ntlmssp as %s\\%s: HTTP %d %q, want 200", peers.Domain, peers.User, status, body)
	}
	if len(sent) != 2 {
		t.Fatalf("go-ntlmssp sent %d Authorization headers, want NEGOTIATE and AUTHENTICATE: %q", len(sent), sent)
	}
	if n := ntlmMessage(t, sent[0]); len(n) < 40 || n[8] != 1 {
		t.Errorf("go-ntlmssp's NEGOTIATE is %d bytes (type %d), want the 40-byte form with Version", len(n), n[8])
	}
	if len(challenges) != 1 {
		t.Fatalf("apache sent %d NTLM challenges, want 1: %q", len(challenges), challenges)
	}
	// gss-ntlmssp's CHALLENGE: what a client must handle.
	c := ntlmMessage(t, challenges[0])
	if len(c) < 56 || string(c[:8]) != "NTLMSSP\x00" || c[8] != 2 {
		t.Fatalf("CHALLENGE %x is not an NTLM type 2 message", c)
	}
	// Flags 0xa20a8201 (Unicode, NTLM, AlwaysSign, TargetTypeServer,
	// ExtendedSessionSecurity, Version, 128, 56), the host name as
	// TargetName, and no TargetInfo at all: an NTLMv2 client must cope
	// without AV pairs (no MsvAvTimestamp, so no MIC is demanded).
	const ntlmVersionFlag = 0x02000000
	flags := binary.LittleEndian.Uint32(c[20:24])
	tiLen := binary.LittleEndian.Uint16(c[40:42])
	t.Logf("gss-ntlmssp CHALLENGE: %d bytes, flags %#08x, target info %d bytes", len(c), flags, tiLen)
	if flags&ntlmVersionFlag == 0 {
		t.Errorf("CHALLENGE flags %#08x lack NTLMSSP_NEGOTIATE_VERSION", flags)
	}

	status, _, _, _ = ntlmGet(t, url, peers.Domain+`\`+peers.User, peers.WrongPassword)
	if status != http.StatusUnauthorized {
		t.Errorf("go-ntlmssp with the wrong password: HTTP %d, want 401", status)
	}
	status, _, _, _ = ntlmGet(t, url, `OTHER\`+peers.User, peers.Password)
	if status != http.StatusUnauthorized {
		t.Errorf("go-ntlmssp in another domain: HTTP %d, want 401", status)
	}

	// curl 7.88 sends the 32-byte NEGOTIATE without the Version field, which
	// gss-ntlmssp rejects: the handshake ends at the first 401.
	r = curl(t, nil, "--ntlm", "-u", userPass, url)
	r.expect(t, "curl --ntlm (32-byte NEGOTIATE)", http.StatusUnauthorized, "")
	// (curl tries its NEGOTIATE again on the second 401, then gives up.)
	reqs := r.headers("Authorization", true)
	if len(reqs) == 0 {
		t.Errorf("curl --ntlm sent no Authorization:\n%s", r.trace)
	}
	for _, h := range reqs {
		if n := ntlmMessage(t, h); len(n) != 32 || n[8] != 1 {
			t.Errorf("curl --ntlm sent a %d-byte type %d message, want only the 32-byte NEGOTIATE this test documents", len(n), n[8])
		}
	}

	_, users := be.seen()
	if want := []string{peers.Domain + `\` + peers.User}; !slices.Equal(users, want) {
		t.Errorf("the backend saw X-Remote-User %q, want %q", users, want)
	}
}

func TestApacheNegotiate(t *testing.T) {
	kdc := peers.StartKDC(t)
	be := newBackend(t, false)
	a := peers.StartApache(t, peers.ApacheOptions{Backend: be.URL, KDC: kdc})
	url := a.URL + "/negotiate/k"

	r := curl(t, kdc.Env(""), url)
	r.expect(t, "negotiate without credentials", http.StatusUnauthorized, "")
	t.Logf("negotiate challenge %q", r.headers("WWW-Authenticate", false))

	ccache := kdc.Kinit(t)
	r = curl(t, kdc.Env(ccache), "--negotiate", "-u", ":", url)
	r.expect(t, "curl --negotiate with a ticket", http.StatusOK, "/k")

	// No ticket, no Negotiate: curl cannot build a token.
	r = curl(t, kdc.Env(t.TempDir()+"/empty.ccache"), "--negotiate", "-u", ":", url)
	r.expect(t, "curl --negotiate without a ticket", http.StatusUnauthorized, "")

	_, users := be.seen()
	if want := []string{kdc.Principal}; !slices.Equal(users, want) {
		t.Errorf("the backend saw X-Remote-User %q, want %q", users, want)
	}
	if log := kdc.Log(); !strings.Contains(log, peers.ServicePrincipal+"@"+peers.KerberosRealm) {
		t.Errorf("the KDC log has no ticket for %s:\n%s", peers.ServicePrincipal, log)
	}
}
