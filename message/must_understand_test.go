package message

import (
	"encoding/xml"
	"slices"
	"testing"

	"github.com/beevik/etree"
	"github.com/wsgo/wsgo/errors"
)

// muEnvelope builds a received envelope whose headers carry the given
// role attributes (attr="" for none), all mustUnderstand.
func muEnvelope(env EnvelopeVersion, roles ...string) []byte {
	ns := env.Namespace()
	roleAttr := "role"
	if env == SOAP11 {
		roleAttr = "actor"
	}
	s := `<s:Envelope xmlns:s="` + ns + `"><s:Header>`
	for i, role := range roles {
		local := string(rune('A' + i))
		s += `<h:` + local + ` xmlns:h="urn:h" s:mustUnderstand="1"`
		if role != "" {
			s += ` s:` + roleAttr + `="` + role + `"`
		}
		s += `>v</h:` + local + `>`
	}
	return []byte(s + `</s:Header><s:Body/></s:Envelope>`)
}

func hName(local string) xml.Name { return xml.Name{Space: "urn:h", Local: local} }

func TestMustUnderstandRoles(t *testing.T) {
	cases := []struct {
		env   EnvelopeVersion
		roles []string
		want  []string // headers reported
		extra []string // Options.Roles
	}{
		{SOAP12, []string{"", RoleNext12, RoleUltimateReceiver12, RoleNone12, "urn:other"}, []string{"A", "B", "C"}, nil},
		{SOAP12, []string{"urn:other", RoleNext11}, []string{"A"}, []string{"urn:other"}},
		{SOAP11, []string{"", RoleNext11, RoleNext12, "urn:other"}, []string{"A", "B"}, nil},
		{SOAP11, []string{"urn:gateway"}, []string{"A"}, []string{"urn:gateway"}},
	}
	for _, c := range cases {
		m := mustNew(t, c.env, AddressingTransport, &Options{Roles: c.extra})
		if err := m.ReadStart(newReader(muEnvelope(c.env, c.roles...))); err != nil {
			t.Fatal(err)
		}
		var want []xml.Name
		for _, l := range c.want {
			want = append(want, hName(l))
		}
		if got := m.NotUnderstood(); !slices.Equal(got, want) {
			t.Errorf("%v roles %q: NotUnderstood = %v, want %v", c.env, c.roles, got, want)
		}
		err := m.CheckMustUnderstand()
		wantCode(t, err, errors.InvalidFormat)
		var mu *MustUnderstandError
		if !errors.As(err, &mu) || !slices.Equal(mu.Headers, want) {
			t.Errorf("%v: error %v does not carry the headers %v", c.env, err, want)
		}
		// Reading each reported header makes the check pass.
		for _, n := range want {
			var el *etree.Element
			if _, err := m.CustomHeader(n, &el); err != nil {
				t.Fatal(err)
			}
		}
		if err := m.CheckMustUnderstand(); err != nil {
			t.Errorf("%v: CheckMustUnderstand after reading the headers: %v", c.env, err)
		}
	}
}

func TestMarkUnderstood(t *testing.T) {
	m := mustNew(t, SOAP12, AddressingTransport, nil)
	if err := m.ReadStart(newReader(muEnvelope(SOAP12, "", ""))); err != nil {
		t.Fatal(err)
	}
	if err := m.MarkUnderstood(hName("A")); err != nil {
		t.Fatal(err)
	}
	if got := m.NotUnderstood(); !slices.Equal(got, []xml.Name{hName("B")}) {
		t.Errorf("NotUnderstood = %v, want [B]", got)
	}
	if err := m.ReadEnd(); err != nil {
		t.Fatal(err)
	}
	// Still checkable in Done.
	wantCode(t, m.CheckMustUnderstand(), errors.InvalidFormat)
	if err := m.MarkUnderstood(hName("B")); err != nil {
		t.Fatal(err)
	}
	if err := m.CheckMustUnderstand(); err != nil {
		t.Errorf("after marking both: %v", err)
	}
}

// TestMustUnderstandStandardHeaders: WS-Addressing headers of the
// message's version count as understood; those of the other version are
// ordinary headers.
func TestMustUnderstandStandardHeaders(t *testing.T) {
	data := []byte(env12Open + `<s:Header><a:Action s:mustUnderstand="true">urn:x</a:Action>` +
		`<b:Action xmlns:b="http://schemas.xmlsoap.org/ws/2004/08/addressing" s:mustUnderstand="1">urn:y</b:Action></s:Header>` + okBody + envClose)
	m := readStart(t, SOAP12, Addressing1_0, data)
	want := []xml.Name{{Space: NamespaceAddressing0_9, Local: "Action"}}
	if got := m.NotUnderstood(); !slices.Equal(got, want) {
		t.Errorf("NotUnderstood = %v, want %v", got, want)
	}
	m2 := readStart(t, SOAP12, AddressingTransport, data)
	if got := m2.NotUnderstood(); len(got) != 2 {
		t.Errorf("with AddressingTransport both Action headers are custom; NotUnderstood = %v", got)
	}
}

func TestCustomHeaderLookup(t *testing.T) {
	m := mustNew(t, SOAP12, Addressing1_0, nil)
	if err := m.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"1", "2"} {
		if err := m.AddCustomHeader(&sessionHeader{ID: id}, HeaderAttributes{}); err != nil {
			t.Fatal(err)
		}
	}
	var s sessionHeader
	_, err := m.CustomHeader(sessionName, &s)
	wantCode(t, err, errors.InvalidFormat)
	for i, id := range []string{"1", "2"} {
		if _, err := m.CustomHeaderAt(sessionName, i, &s); err != nil || s.ID != id {
			t.Errorf("CustomHeaderAt(%d) = %+v, %v", i, s, err)
		}
	}
	_, err = m.CustomHeaderAt(sessionName, 2, &s)
	if wantCode(t, err, errors.InvalidFormat); !errors.Is(err, ErrHeaderNotFound) {
		t.Errorf("index past the end: %v does not wrap ErrHeaderNotFound", err)
	}
	_, err = m.CustomHeader(auditName, &s)
	if !errors.Is(err, ErrHeaderNotFound) {
		t.Errorf("missing header: %v does not wrap ErrHeaderNotFound", err)
	}
	if err := m.RemoveCustomHeader(sessionName); err != nil || m.CustomHeaderCount(sessionName) != 0 {
		t.Errorf("RemoveCustomHeader: %v, %d left", err, m.CustomHeaderCount(sessionName))
	}
	// Standard headers are refused as custom headers.
	action := etree.NewElement("a:Action")
	action.CreateAttr("xmlns:a", NamespaceAddressing1_0)
	wantCode(t, m.AddCustomHeader(action, HeaderAttributes{}), errors.InvalidArgument)
	// Relay is SOAP 1.2 only.
	m11 := mustNew(t, SOAP11, AddressingTransport, nil)
	if err := m11.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, m11.AddCustomHeader(auditElement(), HeaderAttributes{Relay: true}), errors.InvalidArgument)
	// EnvelopeNone has no headers.
	raw := mustNew(t, EnvelopeNone, AddressingTransport, nil)
	if err := raw.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, raw.AddCustomHeader(auditElement(), HeaderAttributes{}), errors.InvalidOperation)
	if got := m.CustomHeaders(); len(got) != 0 {
		t.Errorf("CustomHeaders after removal = %v", got)
	}
}
