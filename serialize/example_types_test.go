package serialize_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"testing"
	"time"

	"github.com/wsgo/wsgo/serialize"
)

// invoice uses the XSD value types as encoding/xml (and gowsdl-generated
// code) would: as element and attribute fields, through their
// MarshalText/UnmarshalText methods.
type invoice struct {
	XMLName  xml.Name              `xml:"urn:example Invoice"`
	ID       serialize.GUID        `xml:"id,attr"`
	Issued   serialize.Date        `xml:"Issued"`
	Created  serialize.DateTime    `xml:"Created"`
	Cutoff   serialize.Time        `xml:"Cutoff"`
	Total    serialize.Decimal     `xml:"Total"`
	Terms    serialize.Duration    `xml:"Terms"`
	Checksum serialize.HexBinary   `xml:"Checksum"`
	Rate     serialize.Decimal     `xml:"rate,attr"`
	Lines    []serialize.Decimal   `xml:"Line"`
	Optional *serialize.DateTime   `xml:"Optional,omitempty"`
	Zoneless serialize.DateTime    `xml:"Zoneless"`
	Big      serialize.Decimal     `xml:"Big"`
	Hashes   []serialize.HexBinary `xml:"Hash"`
}

// Example_xsdTypes reads a document with XSD-typed values into Go and writes
// it back: values keep their scale, zone and precision.
func Example_xsdTypes() {
	const doc = `<Invoice xmlns="urn:example" id="{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}" rate="0.0750">
  <Issued>2024-02-29</Issued>
  <Created>2024-02-29T17:45:00.25+05:30</Created>
  <Cutoff>24:00:00Z</Cutoff>
  <Total> 1234.50 </Total>
  <Terms>P30D</Terms>
  <Checksum>0fb7</Checksum>
  <Zoneless>2024-02-29T09:00:00</Zoneless>
  <Big>123456789012345678901234567890.000001</Big>
</Invoice>`
	var inv invoice
	if err := xml.Unmarshal([]byte(doc), &inv); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("id:      ", inv.ID, inv.ID.URN())
	fmt.Println("created: ", inv.Created, "=", inv.Created.T.UTC().Format(time.RFC3339Nano))
	fmt.Println("cutoff:  ", inv.Cutoff)
	fmt.Println("total:   ", inv.Total, "scale", inv.Total.Scale(), "equals 1234.5:", inv.Total.Cmp(serialize.MustParseDecimal("1234.5")) == 0)
	terms, _ := inv.Terms.Std()
	fmt.Println("terms:   ", inv.Terms, "=", terms)
	fmt.Println("checksum:", inv.Checksum, []byte(inv.Checksum))
	fmt.Println("zoneless:", inv.Zoneless, inv.Zoneless.Zoneless)
	fmt.Println("big:     ", inv.Big)

	out, err := xml.Marshal(struct {
		XMLName xml.Name           `xml:"Totals"`
		Total   serialize.Decimal  `xml:"Total"`
		Created serialize.DateTime `xml:"Created"`
	}{Total: inv.Total, Created: inv.Created})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// id:       6ba7b810-9dad-11d1-80b4-00c04fd430c8 urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8
	// created:  2024-02-29T17:45:00.25+05:30 = 2024-02-29T12:15:00.25Z
	// cutoff:   00:00:00Z
	// total:    1234.50 scale 2 equals 1234.5: true
	// terms:    P30D = 720h0m0s
	// checksum: 0FB7 [15 183]
	// zoneless: 2024-02-29T09:00:00 true
	// big:      123456789012345678901234567890.000001
	// <Totals><Total>1234.50</Total><Created>2024-02-29T17:45:00.25+05:30</Created></Totals>
}

// TestLexicalEncodingXMLRoundTrip checks that every XSD value type goes
// through encoding/xml (which uses MarshalText and UnmarshalText) as element
// text and as attribute value and comes back as the same value.
func TestLexicalEncodingXMLRoundTrip(t *testing.T) {
	created, _ := serialize.ParseDateTime("2024-05-01T10:30:00.123456789-09:30")
	opt, _ := serialize.ParseDateTime("-0044-03-15T12:00:00Z")
	in := invoice{
		ID:       serialize.NewGUID(),
		Issued:   serialize.NewDate(2024, time.February, 29, time.FixedZone("", 14*3600)),
		Created:  created,
		Cutoff:   serialize.NewTime(23, 59, 59, 5, nil),
		Total:    serialize.MustParseDecimal("-1234.500"),
		Terms:    serialize.Duration{Negative: true, Years: 1, Days: 2, Seconds: 3, Nanoseconds: 4},
		Checksum: serialize.HexBinary{0, 0x7f, 0x80, 0xff},
		Rate:     serialize.MustParseDecimal("0.0750"),
		Lines:    []serialize.Decimal{serialize.NewDecimal(5, 3), serialize.MustParseDecimal("79228162514264337593543950336.5")},
		Optional: &opt,
		Zoneless: serialize.NewDateTime(2024, time.May, 1, 10, 0, 0, 0, nil),
		Big:      serialize.MustParseDecimal("0.0000000000000000000000000000000000000001"),
		Hashes:   []serialize.HexBinary{{1}, {}},
	}
	data, err := xml.Marshal(in)
	if err != nil {
		t.Fatalf("xml.Marshal: %v", err)
	}
	var out invoice
	if err := xml.Unmarshal(data, &out); err != nil {
		t.Fatalf("xml.Unmarshal(%s): %v", data, err)
	}
	if out.ID != in.ID {
		t.Errorf("GUID %v, want %v", out.ID, in.ID)
	}
	sameInstant := func(name string, a, b time.Time, az, bz bool) {
		t.Helper()
		_, ao := a.Zone()
		_, bo := b.Zone()
		if !a.Equal(b) || ao != bo || az != bz {
			t.Errorf("%s = %v (zoneless %v), want %v (zoneless %v)", name, a, az, b, bz)
		}
	}
	sameInstant("Issued", out.Issued.T, in.Issued.T, out.Issued.Zoneless, in.Issued.Zoneless)
	sameInstant("Created", out.Created.T, in.Created.T, out.Created.Zoneless, in.Created.Zoneless)
	sameInstant("Cutoff", out.Cutoff.T, in.Cutoff.T, out.Cutoff.Zoneless, in.Cutoff.Zoneless)
	sameInstant("Optional", out.Optional.T, in.Optional.T, out.Optional.Zoneless, in.Optional.Zoneless)
	sameInstant("Zoneless", out.Zoneless.T, in.Zoneless.T, out.Zoneless.Zoneless, in.Zoneless.Zoneless)
	sameDecimal := func(name string, a, b serialize.Decimal) {
		t.Helper()
		if a.Cmp(b) != 0 || a.String() != b.String() {
			t.Errorf("%s = %v, want %v", name, a, b)
		}
	}
	sameDecimal("Total", out.Total, in.Total)
	sameDecimal("Rate", out.Rate, in.Rate)
	sameDecimal("Big", out.Big, in.Big)
	if len(out.Lines) != len(in.Lines) {
		t.Fatalf("Lines = %v, want %v", out.Lines, in.Lines)
	}
	for i := range in.Lines {
		sameDecimal(fmt.Sprintf("Lines[%d]", i), out.Lines[i], in.Lines[i])
	}
	if out.Terms != in.Terms {
		t.Errorf("Terms = %+v, want %+v", out.Terms, in.Terms)
	}
	if !bytes.Equal(out.Checksum, in.Checksum) {
		t.Errorf("Checksum = %v, want %v", out.Checksum, in.Checksum)
	}
	if len(out.Hashes) != 2 || !bytes.Equal(out.Hashes[0], []byte{1}) || out.Hashes[1] == nil || len(out.Hashes[1]) != 0 {
		t.Errorf("Hashes = %#v, want [{1} {}]", out.Hashes)
	}

	// A bad value surfaces as the type's *errors.Error through encoding/xml.
	bad := bytes.Replace(data, []byte("<Total>-1234.500</Total>"), []byte("<Total>1.2E3</Total>"), 1)
	if bytes.Equal(bad, data) {
		t.Fatalf("marshalled document has no <Total>-1234.500</Total>: %s", data)
	}
	if err := xml.Unmarshal(bad, &out); err == nil {
		t.Error("xml.Unmarshal accepted Total 1.2E3")
	}
}
