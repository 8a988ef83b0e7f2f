package message

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// FuzzReadEnvelope feeds arbitrary bytes to the receive sequence of a SOAP
// 1.2 / WS-Addressing 1.0 and a SOAP 1.1 / transport message: it must not
// panic, and every error must be an *errors.Error with an input-related
// code. Seeds: testdata/fuzz/FuzzReadEnvelope and the goldens.
func FuzzReadEnvelope(f *testing.F) {
	goldens, err := filepath.Glob(filepath.Join("testdata", "golden", "*.xml"))
	if err != nil || len(goldens) == 0 {
		f.Fatalf("no golden envelopes to seed the fuzzer with (%v)", err)
	}
	for _, g := range goldens {
		data, err := os.ReadFile(g)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range []struct {
			env  EnvelopeVersion
			addr AddressingVersion
		}{{SOAP12, Addressing1_0}, {SOAP11, Addressing0_9}, {EnvelopeNone, AddressingTransport}} {
			m, err := New(v.env, v.addr, &Options{MaxProcessedHeaders: 16})
			if err != nil {
				t.Fatal(err)
			}
			checkFuzzError(t, fuzzRead(m, data))
		}
	})
}

func fuzzRead(m *Message, data []byte) error {
	if err := m.ReadStart(xmlio.NewReader(data, &xmlio.Options{MaxBytes: 1 << 20})); err != nil {
		return err
	}
	for _, h := range m.CustomHeaders() {
		var el *etree.Element
		if _, err := m.CustomHeader(h.Name, &el); err != nil && !errors.Is(err, errors.InvalidFormat) {
			return err
		}
	}
	_ = m.CheckMustUnderstand()
	for m.HasMoreBody() {
		if m.IsFault() {
			var f errors.Fault
			if err := m.ReadBody(&f); err == nil {
				continue
			}
		}
		var el *etree.Element
		if err := m.ReadBody(&el); err != nil {
			return err
		}
	}
	return m.ReadEnd()
}

func checkFuzzError(t *testing.T, err error) {
	if err == nil {
		return
	}
	var e *errors.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *errors.Error", err, err)
	}
	switch e.Code {
	case errors.InvalidFormat, errors.QuotaExceeded, errors.NumericOverflow:
	default:
		t.Fatalf("unexpected code %v: %v", e.Code, err)
	}
}
