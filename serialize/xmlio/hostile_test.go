package xmlio

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wsgo/wsgo/errors"
)

// genReader produces a document from a prefix, count repetitions of unit(i)
// and a suffix, without ever holding more than one unit: a 100 MB attribute
// value is streamed, never materialized.
type genReader struct {
	prefix, suffix string
	unit           func(i int) string
	count          int
	i              int
	cur            string
	started, done  bool
	read           int64 // bytes handed out so far
}

func (g *genReader) Read(p []byte) (int, error) {
	if !g.started {
		g.started = true
		g.cur = g.prefix
	}
	n := 0
	for n < len(p) {
		if g.cur == "" {
			switch {
			case g.i < g.count:
				g.cur = g.unit(g.i)
				g.i++
			case !g.done:
				g.done = true
				g.cur = g.suffix
			default:
				g.read += int64(n)
				if n == 0 {
					return 0, io.EOF
				}
				return n, nil
			}
			continue
		}
		c := copy(p[n:], g.cur)
		g.cur = g.cur[c:]
		n += c
	}
	g.read += int64(n)
	return n, nil
}

// repeat returns a unit function that always yields s.
func repeat(s string) func(int) string { return func(int) string { return s } }

var chunk64K = strings.Repeat("x", 64<<10)

// hostileCase is one document the reader must refuse with code (and quota).
// Generated documents give prefix, unit and suffix, with count units when
// streamed and bufCount when materialized for the buffered run; bigMem
// asserts that the streamed run allocates far less than the input.
type hostileCase struct {
	name     string
	doc      string
	prefix   string
	unit     func(int) string
	suffix   string
	count    int
	bufCount int
	opts     *Options
	code     errors.Code
	quota    string
	bigMem   bool
}

func (c *hostileCase) gen(count int) *genReader {
	if c.unit == nil {
		return &genReader{prefix: c.doc}
	}
	return &genReader{prefix: c.prefix, unit: c.unit, suffix: c.suffix, count: count}
}

func hostileCases() []hostileCase {
	invalid, quota := errors.InvalidFormat, errors.QuotaExceeded
	return []hostileCase{
		{name: "XXE external entity", doc: `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>`, code: invalid},
		{name: "billion laughs", code: invalid, doc: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
			`<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
			`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>`},
		{name: "internal entity declaration", doc: `<!ENTITY e "x"><a>&e;</a>`, code: invalid},
		{name: "entity declaration inside the root", doc: `<a><!ENTITY e "x">&e;</a>`, code: invalid},
		{name: "parameter entity", doc: `<!DOCTYPE a [<!ENTITY % p "<!ENTITY e 'x'>"> %p;]><a>&e;</a>`, code: invalid},
		{name: "bare DOCTYPE", doc: `<!DOCTYPE a><a/>`, code: invalid},
		{name: "deep nesting 10^6", prefix: "<s:Envelope xmlns:s='urn:s'>", unit: repeat("<a>"), count: 1_000_000, bufCount: 1_000_000,
			code: quota, quota: "MaxDepth"},
		{name: "10^5 attributes", prefix: "<a", unit: func(i int) string { return fmt.Sprintf(" a%d='x'", i) }, suffix: "/>",
			count: 100_000, bufCount: 100_000, code: quota, quota: "MaxAttributes"},
		{name: "100 MB attribute value", prefix: `<a v="`, unit: repeat(chunk64K), suffix: `"/>`,
			count: 1600, bufCount: 96, code: quota, quota: "MaxTokenBytes", bigMem: true},
		{name: "100 MB text run", prefix: `<a>`, unit: repeat(chunk64K), suffix: `</a>`,
			count: 1600, bufCount: 96, code: quota, quota: "MaxTokenBytes", bigMem: true},
		{name: "100 MB comment", prefix: `<a><!--`, unit: repeat(chunk64K), suffix: `--></a>`,
			count: 1600, bufCount: 96, code: quota, quota: "MaxTokenBytes", bigMem: true},
		{name: "100 MB of small elements over MaxBytes", prefix: `<a>`, unit: repeat("<b>x</b>"), suffix: `</a>`,
			count: 13_000_000, bufCount: 20_000, opts: &Options{MaxBytes: 100_000}, code: quota, quota: "MaxBytes", bigMem: true},
		{name: "invalid UTF-8 in text", doc: "<a>ab\xff</a>", code: invalid},
		{name: "invalid UTF-8 in a name", doc: "<a\xc3\x28/>", code: invalid},
		{name: "invalid UTF-8 in an attribute", doc: "<a v='\xed\xa0\x80'/>", code: invalid},
		{name: "overlong UTF-8", doc: "<a>\xc0\xbc</a>", code: invalid},
		{name: "NUL byte", doc: "<a>x\x00y</a>", code: invalid},
		{name: "C0 control character", doc: "<a>x\x01y</a>", code: invalid},
		{name: "control character in attribute", doc: "<a v='\x1b'/>", code: invalid},
		{name: "U+FFFE literal", doc: "<a>\xef\xbf\xbe</a>", code: invalid},
		{name: "&#0;", doc: "<a>&#0;</a>", code: invalid},
		{name: "&#xD800;", doc: "<a>&#xD800;</a>", code: invalid},
		{name: "&#xFFFF; in attribute", doc: "<a v='&#xFFFF;'/>", code: invalid},
		{name: "&#x110000;", doc: "<a>&#x110000;</a>", code: invalid},
		{name: "huge decimal reference", doc: "<a>&#99999999999999999999999999;</a>", code: invalid},
		{name: "undefined entity &nbsp;", doc: "<a>&nbsp;</a>", code: invalid},
		{name: "bare ampersand", doc: "<a>fish & chips</a>", code: invalid},
		{name: "unclosed tag", doc: "<a><b></b>", code: invalid},
		{name: "truncated start tag", doc: "<a><b x='1'", code: invalid},
		{name: "mismatched end tag", doc: "<a><b></a></b>", code: invalid},
		{name: "end tag without start", doc: "</a>", code: invalid},
		{name: "undeclared element prefix", doc: "<p:a/>", code: invalid},
		{name: "undeclared attribute prefix", doc: "<a p:x='1'/>", code: invalid},
		{name: "xmlns prefix on element", doc: "<xmlns:a/>", code: invalid},
		{name: "duplicate attribute", doc: "<a x='1' x='2'/>", code: invalid},
		{name: "duplicate expanded attribute", doc: "<a xmlns:p='urn:x' xmlns:q='urn:x' p:x='1' q:x='2'/>", code: invalid},
		{name: "duplicate namespace declaration", doc: "<a xmlns:p='urn:x' xmlns:p='urn:y'/>", code: invalid},
		{name: "two root elements", doc: "<a/><b/>", code: invalid},
		{name: "text after root", doc: "<a/>junk", code: invalid},
		{name: "text before root", doc: "junk<a/>", code: invalid},
		{name: "CDATA outside root", doc: "<![CDATA[x]]><a/>", code: invalid},
		{name: "<?php?> processing instruction", doc: "<a><?php echo 1; ?></a>", code: invalid},
		{name: "XML declaration not at start", doc: " <?xml version='1.0'?><a/>", code: invalid},
		{name: `xmlns:p=""`, doc: `<a xmlns:p=""/>`, code: invalid},
		{name: "xml prefix rebound", doc: `<a xmlns:xml="urn:x"/>`, code: invalid},
		{name: "xmlns prefix declared", doc: `<a xmlns:xmlns="urn:x"/>`, code: invalid},
		{name: "< in attribute value", doc: `<a v="x<y"/>`, code: invalid},
		{name: "unquoted attribute", doc: `<a v=1/>`, code: invalid},
		{name: "attribute without value", doc: `<a v/>`, code: invalid},
		{name: "attributes without whitespace", doc: `<a x="1"y="2"/>`, code: invalid},
		{name: "]]> in text", doc: `<a>x]]>y</a>`, code: invalid},
		{name: "-- in comment", doc: `<a><!-- x -- y --></a>`, code: invalid},
		{name: "comment ending in --->", doc: `<a><!-- x ---></a>`, code: invalid},
		{name: `encoding="UTF-16"`, doc: `<?xml version="1.0" encoding="UTF-16"?><a/>`, code: invalid},
		{name: `encoding="ISO-8859-1"`, doc: `<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, code: invalid},
		{name: "UTF-16 byte order mark", doc: "\xff\xfe<\x00a\x00/\x00>\x00", code: invalid},
		{name: "version 1.1", doc: `<?xml version="1.1"?><a/>`, code: invalid},
		{name: "declaration without version", doc: `<?xml encoding="UTF-8"?><a/>`, code: invalid},
		{name: "non-ASCII in a US-ASCII document", doc: "<?xml version='1.0' encoding='US-ASCII'?><a>é</a>", code: invalid},
		{name: "too many namespaces", prefix: "<a", unit: func(i int) string { return fmt.Sprintf(" xmlns:p%d='urn:%d'", i, i) }, suffix: "/>",
			count: 40, bufCount: 40, code: quota, quota: "MaxNamespaces"},
		{name: "too many namespaces over nested scopes", prefix: "<a>", unit: func(i int) string { return fmt.Sprintf("<e xmlns:p='urn:%d'>", i) },
			count: 40, bufCount: 40, opts: &Options{MaxDepth: 100}, code: quota, quota: "MaxNamespaces"},
		{name: "truncated inside attribute value", doc: `<a v="abc`, code: invalid},
		{name: "truncated inside a reference", doc: `<a v="&am`, code: invalid},
		{name: "truncated inside a comment", doc: `<a><!-- abc`, code: invalid},
		{name: "truncated inside CDATA", doc: `<a><![CDATA[abc`, code: invalid},
		{name: "empty input", doc: ``, code: invalid},
		{name: "only whitespace", doc: " \n\t ", code: invalid},
		{name: "only a declaration", doc: `<?xml version="1.0"?>`, code: invalid},
		{name: "colon-first name", doc: `<:a/>`, code: invalid},
		{name: "two colons in a name", doc: `<a:b:c xmlns:a="urn:a"/>`, code: invalid},
	}
}

// TestHostileInputs feeds each hostile document to both modes and checks
// the exact code, the quota named, a time watchdog for the whole table and,
// for the large streamed inputs, that memory stays far below their size.
func TestHostileInputs(t *testing.T) {
	cases := hostileCases()
	if len(cases) < 24 {
		t.Fatalf("only %d hostile cases", len(cases))
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Run("streamed", func(t *testing.T) {
				g := tc.gen(tc.count)
				var before, after runtime.MemStats
				if tc.bigMem {
					runtime.GC()
					runtime.ReadMemStats(&before)
				}
				err := runWithin(t, deadline, func() error {
					_, err := walk(NewStreamReader(g, tc.opts))
					return err
				})
				checkHostileErr(t, err, tc.code, tc.quota)
				if tc.bigMem {
					runtime.ReadMemStats(&after)
					alloc := after.TotalAlloc - before.TotalAlloc
					t.Logf("streamed: allocated %.1f MiB, consumed %.1f MiB of the input", float64(alloc)/(1<<20), float64(g.read)/(1<<20))
					if alloc > 16<<20 {
						t.Errorf("streaming allocated %d MiB for a document of %d MiB", alloc>>20, tc.count*len(tc.unit(0))>>20)
					}
					if g.read > 3*(4<<20) {
						t.Errorf("the reader consumed %d MiB of the input before failing", g.read>>20)
					}
				}
			})
			t.Run("buffered", func(t *testing.T) {
				doc, err := io.ReadAll(tc.gen(tc.bufCount))
				if err != nil {
					t.Fatal(err)
				}
				err = runWithin(t, deadline, func() error {
					_, err := walk(NewReader(doc, tc.opts))
					return err
				})
				checkHostileErr(t, err, tc.code, tc.quota)
			})
		})
	}
}

// runWithin runs f, failing the test if it has not returned by deadline.
func runWithin(t *testing.T, deadline time.Time, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Until(deadline)):
		t.Fatal("watchdog: the hostile-input table did not finish within 20 s")
		return nil
	}
}

func checkHostileErr(t *testing.T, err error, code errors.Code, quota string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want %v %s", code, quota)
	}
	var e *errors.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is %T, not *errors.Error", err, err)
	}
	if e.Code != code || e.Quota != quota {
		t.Fatalf("got %v %q (%v); want %v %q", e.Code, e.Quota, err, code, quota)
	}
	if msg := err.Error(); !strings.Contains(msg, "line ") && e.Quota != "MaxBytes" {
		t.Errorf("message %q does not say where", msg)
	}
	if len(err.Error()) > 400 {
		t.Errorf("message is %d bytes long; hostile input must not bloat it", len(err.Error()))
	}
}

// TestHostileDTDMessage checks the message promised for DTDs.
func TestHostileDTDMessage(t *testing.T) {
	_, err := walk(NewReader([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><x/>`), nil))
	if err == nil || !strings.Contains(err.Error(), "DTDs are not allowed in SOAP messages") ||
		!bytes.Contains([]byte(err.Error()), []byte("DOCTYPE")) {
		t.Fatalf("message: %v", err)
	}
}
