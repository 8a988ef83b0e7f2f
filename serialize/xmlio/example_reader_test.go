package xmlio_test

import (
	"fmt"
	"strings"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// Walk a document node by node, with namespaces resolved.
func ExampleReader() {
	doc := []byte(`<o:Order xmlns:o="urn:orders" id="7"><o:Item qty="2">widget &amp; bolt</o:Item></o:Order>`)
	r := xmlio.NewReader(doc, nil)
	for {
		kind, err := r.Next()
		if err != nil {
			fmt.Println(err)
			return
		}
		switch kind {
		case xmlio.StartElement:
			fmt.Printf("start {%s}%s", r.Namespace(), r.Local())
			for i := 0; i < r.AttrCount(); i++ {
				a := r.Attr(i)
				fmt.Printf(" %s=%q", a.Local, a.Value)
			}
			fmt.Println()
		case xmlio.Text:
			fmt.Printf("text %q\n", r.Text())
		case xmlio.EndElement:
			fmt.Printf("end %s\n", r.Local())
		case xmlio.EOF:
			return
		}
	}
	// Output:
	// start {urn:orders}Order id="7"
	// start {urn:orders}Item qty="2"
	// text "widget & bolt"
	// end Item
	// end Order
}

// A DTD is refused before anything in it is acted on, and quotas stop
// oversized input in a stream after reading about one token's worth.
func ExampleNewStreamReader() {
	xxe := `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`
	r := xmlio.NewStreamReader(strings.NewReader(xxe), nil)
	_, err := r.Next()
	fmt.Println(errors.CodeOf(err))

	deep := strings.Repeat("<a>", 100)
	r = xmlio.NewStreamReader(strings.NewReader(deep), &xmlio.Options{MaxDepth: 32})
	var (
		kind     xmlio.Kind
		depthErr error
	)
	for depthErr == nil && kind != xmlio.EOF {
		kind, depthErr = r.Next()
	}
	var e *errors.Error
	errors.As(depthErr, &e)
	fmt.Println(e.Code, e.Quota)
	// Output:
	// InvalidFormat
	// QuotaExceeded MaxDepth
}
