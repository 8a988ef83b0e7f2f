// Package message is wsgo's SOAP message, in the shape of WWSAPI's
// WS_MESSAGE: a [Message] with an explicit lifecycle, standard
// WS-Addressing headers, custom headers, mapped (transport) headers, and an
// envelope that is written to an xmlio.Writer and read from an
// xmlio.Reader. It sits between package serialize, which turns body and
// header values into elements, and package channel, which moves envelopes
// over a transport (DESIGN.md: "Message.Initialize(Request) ... write
// envelope ... read envelope, check mustUnderstand").
//
// # Versions
//
// A message is created for one envelope version (SOAP11, SOAP12, or
// EnvelopeNone for a raw body) and one addressing version (Addressing0_9,
// Addressing1_0, or AddressingTransport, where the transport carries the
// address and action and no WS-Addressing header is written). Headers and
// faults are kept in a version-neutral form and written in the message's
// versions.
//
// # States
//
// Every method checks the message's [State] against one table (state.go)
// and fails with errors.InvalidOperation, changing nothing, when the state
// does not allow it:
//
//	operation                         allowed in                          next state
//	Initialize                        Empty                               Initialized
//	WriteStart                        Initialized                         Writing
//	WriteBody, BodyWriter             Writing                             (same)
//	WriteEnd                          Writing                             Done
//	ReadStart                         Empty                               Reading
//	ReadBody, BodyReader              Reading                             (same)
//	ReadEnd                           Reading                             Done
//	headers: Set*/get/Remove*, Address,
//	  AddCustomHeader, CustomHeader,
//	  MarkUnderstood, mapped headers  Initialized, Reading, Writing, Done (same)
//	CheckMustUnderstand               Reading, Done                       (same)
//	Reset                             any                                 Empty
//
// Getters without an error result (Action, MappedHeader, ...) return their
// zero value in a state that does not allow them.
//
// # Sending
//
//	m, _ := message.New(message.SOAP12, message.Addressing1_0, nil)
//	m.Initialize(message.Request, nil)         // sets a fresh MessageID
//	m.SetAction("urn:example/Order")
//	m.Address(&message.EndpointAddress{URL: "https://example.com/svc"})
//	m.AddCustomHeader(&Session{ID: "42"}, message.HeaderAttributes{MustUnderstand: true})
//	w := xmlio.NewWriter(conn)
//	m.WriteStart(w)                            // Envelope, Header, Body start
//	m.WriteBody(&Order{Qty: 3})                // any number of body elements
//	m.WriteEnd()                               // Body and Envelope end
//	w.Flush()
//
// # Receiving
//
//	m.ReadStart(xmlio.NewReader(data, nil))   // all headers are read here
//	action, _ := m.Action()
//	var s Session
//	m.CustomHeader(xml.Name{Space: ns, Local: "Session"}, &s) // marks it understood
//	if err := m.CheckMustUnderstand(); err != nil { ... MustUnderstand fault ... }
//	if m.IsFault() { var f errors.Fault; m.ReadBody(&f) } else { m.ReadBody(&order) }
//	m.ReadEnd()
//	m.Reset()                                  // reuse, keeping buffers
//
// # Headers
//
// Custom headers are kept serialized in one buffer per message, each as a
// standalone element with the namespace declarations it needs; their SOAP
// attributes (mustUnderstand, role or actor, relay,
// wsa:IsReferenceParameter) are kept beside them as [HeaderAttributes] and
// written in the message's version when the envelope is written. Reading a
// header with CustomHeader or CustomHeaderAt decodes its element with
// package serialize and marks it understood.
//
// Received WS-Addressing headers of the message's addressing version are
// standard headers; all other headers, including WS-Addressing headers of
// the other version, are custom headers (and so fail CheckMustUnderstand
// when marked mustUnderstand and not processed). A repeated wsa:RelatesTo
// of another RelationshipType is kept as an understood custom header. Every
// header block must be namespace-qualified (SOAP 1.1 §4.2, SOAP 1.2 Part 1
// §5.2): an unqualified one is refused when added and when received.
//
// # Faults
//
// A fault is an errors.Fault (aliased here as [Fault]). WriteBody writes
// an *errors.Fault as a SOAP 1.1 or 1.2 Fault element and ReadBody reads
// either into one; [NewFault] builds one with a standard code,
// [SetFaultDetail] and [FaultDetail] put a typed value into and out of its
// detail.
//
// Faults are read as strictly as WCF reads them: the children come in
// their order (SOAP 1.2: Code, Reason, Node, Role, Detail; SOAP 1.1:
// faultcode, faultstring, faultactor, detail), each at most once, the
// first two required. A SOAP 1.2 fault's top-level code must be one of the
// five SOAP codes; an application code goes into a Subcode (a SOAP 1.1
// code is translated, and SOAP 1.1, which has no subcodes, writes only the
// top-level code).
//
// A host that gets a *VersionMismatchError from ReadStart answers in
// VersionMismatchError.ReplyVersion with a VersionMismatch fault carrying
// [UpgradeHeader]; a SOAP 1.2 MustUnderstand fault may carry a
// [NotUnderstoodHeader] per header of the MustUnderstandError.
package message
