// Package testtypes holds test fixtures for wsgo's serializer and service
// layers: two WSDL documents and the Go types github.com/hooklift/gowsdl
// generates from them, so tests can check that wsgo handles gowsdl-generated
// code unchanged, as DESIGN.md promises.
//
//   - wsdl/orders.wsdl and package orders: an order-management service
//     (PlaceOrder, GetOrder, CancelOrder) covering the XSD features real
//     enterprise WSDLs use: nested and repeated complex types, enumerations,
//     attributes, xs:choice, nillable and minOccurs="0" elements, xs:date and
//     xs:dateTime (gowsdl's soap.XSDDate/XSDDateTime), xs:decimal, integers of
//     every width, xs:base64Binary and a complexContent extension.
//   - wsdl/calc.wsdl and package calc: the project's shared interop contract
//     (namespace http://example.com/calc; Add, Echo, the CalcFault detail) with
//     a SOAP 1.1 and a SOAP 1.2 binding, implemented by every test peer.
//
// The generated files are committed. After editing a WSDL, regenerate them with
//
//	go generate ./internal/testtypes/
//
// which runs gen (see gen/main.go for the post-processing it applies to
// gowsdl's output). TestGeneratedFilesUpToDate fails when they are stale.
//
// The package is internal: it is test scaffolding, not API.
package testtypes

//go:generate go run ./gen
