package xmlio_test

import (
	"fmt"
	"os"
	"strconv"

	"github.com/wsgo/wsgo/serialize/xmlio"
)

// A SOAP 1.2 request written with a buffer writer: the envelope namespace
// gets the prefix the caller asks for, the body element's namespace becomes
// the default namespace, and the attribute value and text are escaped.
func ExampleWriter() {
	const (
		soapNS = "http://www.w3.org/2003/05/soap-envelope"
		calcNS = "http://example.com/calc"
	)
	w := xmlio.NewBufferWriter(nil)
	w.StartElement("s", "Envelope", soapNS)
	w.StartElement("s", "Body", soapNS)
	w.StartElement("", "Add", calcNS)
	w.Attr("", "comment", "", `"2 < 3" & more`)
	w.StartElement("", "a", calcNS)
	w.Int(2)
	w.EndElement()
	w.StartElement("", "b", calcNS)
	b := w.AppendText() // append a number without an intermediate string
	w.CommitText(strconv.AppendInt(b, 3, 10))
	w.EndElement()
	w.EndElement() // Add
	w.EndElement() // Body
	w.EndElement() // Envelope
	if err := w.Err(); err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(w.Bytes())
	// Output:
	// <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><Add xmlns="http://example.com/calc" comment="&quot;2 &lt; 3&quot; &amp; more"><a>2</a><b>3</b></Add></s:Body></s:Envelope>
}

// A streaming writer sends its output to an io.Writer through its buffer;
// Flush at the end.
func ExampleNewWriter() {
	w := xmlio.NewWriter(os.Stdout)
	w.WriteDeclaration()
	w.StartElement("", "note", "")
	w.Attr("", "lang", "http://www.w3.org/XML/1998/namespace", "en")
	w.Text("a & b\r\n")
	w.EndElement()
	if err := w.Flush(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// <?xml version="1.0" encoding="utf-8"?><note xml:lang="en">a &amp; b&#xD;
	// </note>
}

// Errors are sticky: the first one is kept, later calls do nothing, and Err
// and Flush report it.
func ExampleWriter_Err() {
	w := xmlio.NewBufferWriter(nil)
	w.StartElement("", "order", "")
	w.Text("shipped")
	w.Attr("", "id", "", "42") // too late: the start tag is closed
	w.EndElement()
	fmt.Println(w.Err())
	fmt.Printf("%s\n", w.Bytes())
	// Output:
	// wsgo: write XML: attribute "id" in element <order>: the start tag was closed by the element's content or children; add attributes and declarations right after StartElement
	// <order>shipped
}
