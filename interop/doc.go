// Package interop holds wsgo's interoperability tests against real
// third-party SOAP stacks on loopback; it has no code of its own.
//
// The peers (see internal/peers) all implement the shared contract
// internal/testtypes/wsdl/calc.wsdl (namespace http://example.com/calc,
// document/literal wrapped, Add, Echo, and Echo("fault") answering a SOAP
// fault with a CalcFault detail):
//
//   - node-soap 1.13 and Spyne 2.14 as servers: wsgo's service.Client and raw
//     channel.Channel call them in SOAP 1.1 and SOAP 1.2, with transport
//     addressing and with WS-Addressing 1.0, and decode their faults;
//   - zeep 4.2 as a client: it calls a wsgo service.Host in SOAP 1.1 and 1.2.
//
// Install the peers with `bash scripts/peers.sh install`. Without them the
// tests skip; with WSGO_PEERS=require (scripts/test.sh sets it) a peer that
// is missing or does not start fails them.
package interop
