// Package service gives typed SOAP operations on top of package channel:
// a Client whose Call is what generated stubs use (WWSAPI's service proxy
// and WsCall), and a Host, an http.Handler that dispatches requests by
// action to typed Go functions (WWSAPI's service host).
//
// Calling:
//
//	c, _ := service.NewClient(ctx, "http://example.com/calc",
//		channel.WithEnvelope(message.SOAP11), channel.WithAddressing(message.AddressingTransport))
//	out, err := service.Call[calc.AddResponse](ctx, c, "http://example.com/calc/Add", &calc.Add{A: 2, B: 3})
//
// Serving:
//
//	h := service.NewHost()
//	service.Handle(h, "http://example.com/calc/Add",
//		func(ctx context.Context, in *calc.Add) (*calc.AddResponse, error) {
//			return &calc.AddResponse{Result: in.A + in.B}, nil
//		})
//	http.Handle("/calc", h)
//
// A handler answers with a fault by returning NewFault(code, subcode,
// reason, detail). Other errors become a generic Receiver fault whose text
// does not disclose the error unless WithFaultDisclosure(true) is set. The
// host checks mustUnderstand before any handler runs; headers an operation
// processes are declared with WithUnderstoodHeaders, and read in the
// handler through RequestMessage(ctx).
package service
