// Package xmlio is wsgo's streaming XML layer: a [Writer] that produces XML
// 1.0 text into a reusable buffer or an io.Writer, and a namespace-resolving
// pull [Reader] for the SOAP profile of XML 1.0. It corresponds to WWSAPI's
// WS_XML_WRITER and WS_XML_READER with the text encoding.
//
// Both are built for the hot path of a SOAP stack: the writer allocates
// nothing per element in steady state, and the reader hands out byte slices
// that alias its window instead of allocating strings and tokens.
//
// The reader accepts exactly the SOAP profile of XML: a document type
// declaration, entity declaration or undefined entity reference is refused
// with errors.InvalidFormat (SOAP forbids DTDs, which closes XXE and
// entity-expansion attacks by construction), only the predefined and numeric
// character references are expanded, processing instructions other than the
// XML declaration are refused, and invalid UTF-8 or characters XML forbids
// are refused. Depth, attributes per element, namespaces in scope, bytes of
// one token and bytes of the whole document are bounded by [Options]; going
// over one ends in errors.QuotaExceeded naming the quota.
//
// The token model (element names as prefix, local name and resolved
// namespace; attributes; text) is independent of the text encoding, so other
// encodings (MTOM, .NET binary XML) can later provide readers and writers of
// the same shape.
package xmlio
