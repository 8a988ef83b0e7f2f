package security

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/wsgo/wsgo/internal/httplex"
)

func TestParseChallenges(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   []Challenge
	}{
		{
			name:   "several schemes in one value",
			values: []string{`Negotiate, NTLM, Digest realm="a, b", qop="auth,auth-int", Basic realm=x`},
			want: []Challenge{
				{Scheme: Negotiate, Name: "Negotiate"},
				{Scheme: NTLM, Name: "NTLM"},
				{Scheme: Digest, Name: "Digest", Params: map[string]string{"realm": "a, b", "qop": "auth,auth-int"}},
				{Scheme: Basic, Name: "Basic", Params: map[string]string{"realm": "x"}},
			},
		},
		{
			name:   "several values",
			values: []string{`Basic realm="r1", charset="UTF-8"`, `NTLM`, `Negotiate`},
			want: []Challenge{
				{Scheme: Basic, Name: "Basic", Params: map[string]string{"realm": "r1", "charset": "UTF-8"}},
				{Scheme: NTLM, Name: "NTLM"},
				{Scheme: Negotiate, Name: "Negotiate"},
			},
		},
		{
			name:   "token68 with padding, then another challenge",
			values: []string{`NTLM TlRMTVNTUAACAAAADAAMADAAAAA1goni+/8=, Basic realm=x`},
			want: []Challenge{
				{Scheme: NTLM, Name: "NTLM", Token: "TlRMTVNTUAACAAAADAAMADAAAAA1goni+/8="},
				{Scheme: Basic, Name: "Basic", Params: map[string]string{"realm": "x"}},
			},
		},
		{
			name:   "negotiate continuation",
			values: []string{"Negotiate oYG2MIGzoAMKAQChCwYJKoZIgvcSAQICooGeBIGbYIGYBgkqhkiG9xIBAgICAG+BiDCBhaADAgEFoQMCAQ+ieTB3oAMCARKicARu"},
			want: []Challenge{
				{Scheme: Negotiate, Name: "Negotiate", Token: "oYG2MIGzoAMKAQChCwYJKoZIgvcSAQICooGeBIGbYIGYBgkqhkiG9xIBAgICAG+BiDCBhaADAgEFoQMCAQ+ieTB3oAMCARKicARu"},
			},
		},
		{
			name:   "quoted escapes, case, spaces around =",
			values: []string{`DIGEST Realm = "say \"hi\" \\ there" , NONCE=abc , stale=TRUE`},
			want: []Challenge{
				{Scheme: Digest, Name: "DIGEST", Params: map[string]string{"realm": `say "hi" \ there`, "nonce": "abc", "stale": "TRUE"}},
			},
		},
		{
			name:   "unknown schemes kept",
			values: []string{`Bearer realm="api", error="invalid_token", Mutual abc==, Basic`},
			want: []Challenge{
				{Name: "Bearer", Params: map[string]string{"realm": "api", "error": "invalid_token"}},
				{Name: "Mutual", Token: "abc=="},
				{Scheme: Basic, Name: "Basic"},
			},
		},
		{
			name:   "repeated parameter keeps the first",
			values: []string{`Basic realm="one", realm="two"`},
			want:   []Challenge{{Scheme: Basic, Name: "Basic", Params: map[string]string{"realm": "one"}}},
		},
		{
			name:   "empty and separator-only values",
			values: []string{"", " , ,, ", "\t"},
			want:   nil,
		},
		{
			name:   "garbage skipped to the next comma",
			values: []string{`(((, Basic realm=x junk "a,b", NTLM`},
			want: []Challenge{
				{Scheme: Basic, Name: "Basic", Params: map[string]string{"realm": "x"}},
				{Scheme: NTLM, Name: "NTLM"},
			},
		},
		{
			name:   "unterminated quoted string runs to the end",
			values: []string{`Digest realm="abc, nonce=1`},
			want:   []Challenge{{Scheme: Digest, Name: "Digest", Params: map[string]string{"realm": "abc, nonce=1"}}},
		},
		{
			name:   "value over 16 KiB ignored, others kept",
			values: []string{"Basic realm=" + strings.Repeat("x", maxChallengeValue), "NTLM"},
			want:   []Challenge{{Scheme: NTLM, Name: "NTLM"}},
		},
		{
			name:   "RFC 7616 example",
			values: []string{`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`, `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`},
			want: []Challenge{
				{Scheme: Digest, Name: "Digest", Params: map[string]string{"realm": "http-auth@example.org", "qop": "auth, auth-int", "algorithm": "SHA-256", "nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "opaque": "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"}},
				{Scheme: Digest, Name: "Digest", Params: map[string]string{"realm": "http-auth@example.org", "qop": "auth, auth-int", "algorithm": "MD5", "nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "opaque": "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseChallenges(tt.values)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseChallenges(%q) (-want +got):\n%s", tt.values, diff)
			}
		})
	}
}

func TestSelectChallenge(t *testing.T) {
	chs := ParseChallenges([]string{
		`Basic realm=b`,
		`Digest realm=r, nonce=1, algorithm=SHA-512`,
		`Digest realm=r, nonce=2, qop=auth-conf`,
		`Digest realm=r, nonce=3, algorithm=SHA-256`,
		`Digest realm=r, nonce=4`,
	})
	got := SelectChallenge(chs, Digest)
	if got == nil || got.Params["nonce"] != "3" {
		t.Fatalf("SelectChallenge(Digest) = %+v, want the SHA-256 one (nonce 3)", got)
	}
	if got := SelectChallenge(chs, Basic); got == nil || got.Params["realm"] != "b" {
		t.Errorf("SelectChallenge(Basic) = %+v", got)
	}
	if got := SelectChallenge(chs, NTLM); got != nil {
		t.Errorf("SelectChallenge(NTLM) = %+v, want nil", got)
	}
}

// FuzzParseChallenges checks that no input panics or loops, that values
// over the bound are ignored, and that every challenge has a token-shaped
// name and never both a token and parameters.
func FuzzParseChallenges(f *testing.F) {
	for _, s := range []string{
		`Negotiate, NTLM, Digest realm="a, b", qop="auth,auth-int", Basic realm=x`,
		`NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==`,
		`Digest realm="x\"y", nonce="", , ,stale=true`,
		`"unterminated`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ParseChallenges([]string{s, s})
		if len(s) > maxChallengeValue {
			if len(got) != 0 {
				t.Fatalf("value of %d bytes parsed", len(s))
			}
			return
		}
		if len(got)%2 != 0 {
			t.Fatalf("the same value twice gave an odd number of challenges: %d", len(got))
		}
		for _, ch := range got {
			if ch.Name == "" || !utf8.ValidString(ch.Name) && strings.ContainsAny(ch.Name, " ,\"") {
				t.Fatalf("bad name %q", ch.Name)
			}
			for i := 0; i < len(ch.Name); i++ {
				if !httplex.IsTokenChar(ch.Name[i]) {
					t.Fatalf("name %q has a non-token byte", ch.Name)
				}
			}
			if ch.Scheme != SchemeOf(ch.Name) {
				t.Fatalf("scheme %v for name %q", ch.Scheme, ch.Name)
			}
			if ch.Token != "" && ch.Params != nil {
				t.Fatalf("challenge %+v has a token and params", ch)
			}
			if len(ch.Token) > len(s) {
				t.Fatalf("token longer than the input")
			}
		}
	})
}

func BenchmarkParseChallenges(b *testing.B) {
	values := []string{`Negotiate, NTLM, Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", Basic realm="x"`}
	b.ReportAllocs()
	for b.Loop() {
		ParseChallenges(values)
	}
}
