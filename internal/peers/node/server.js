// node-soap 1.13.0 serving internal/testtypes/wsdl/calc.wsdl, started by
// internal/peers (StartNodeSOAP) as: node server.js PORT WSDL_PATH
// with NODE_PATH pointing at the peers dir's node_modules.
//
// One HTTP server on 127.0.0.1:PORT, two soap.listen paths taken from the
// WSDL's port addresses: /calc/soap11 (SOAP 1.1) and /calc/soap12
// (forceSoap12Headers). Prints "listening PORT" on stdout once bound.
//
// What node-soap really does on the wire (checked with curl):
//   - HTTP/1.1, keep-alive (Keep-Alive: timeout=5), replies chunked.
//   - The reply's Content-Type is a copy of the request's Content-Type, action
//     parameter included (text/xml; charset=utf-8 for 1.1,
//     application/soap+xml; charset=utf-8; action="..." for 1.2); without one
//     it answers application/xml.
//   - Replies are one line with an <?xml ...?> declaration, envelope prefix
//     "soap", tns=http://example.com/calc declared on the Envelope, and the
//     body element in a default namespace:
//     <AddResponse xmlns="http://example.com/calc"><result>5</result>...
//   - Dispatch: by the SOAPAction header's last path segment when there is one
//     ("Add"/"Echo"), else by the body's first element. SOAP 1.2 requests carry
//     the action in Content-Type, which node-soap ignores: body element decides.
//   - The envelope version of the reply depends only on the path: a SOAP 1.1
//     envelope sent to /calc/soap12 gets a 1.2 reply and vice versa.
//   - mustUnderstand headers are ignored.
//   - Echo("fault") on /calc/soap11: HTTP 500, soap:Fault with faultcode
//     soap:Client, faultstring, detail/tns:CalcFault{code 42, message}.
//     On /calc/soap12: HTTP 500, soap:Code/soap:Value soap:Sender with
//     soap:Subcode/soap:Value tns:CalcError, soap:Reason/soap:Text xml:lang="en",
//     soap:Detail/tns:CalcFault. node-soap prefixes every element of a 1.2
//     fault object with the envelope prefix, so the detail element is given as
//     raw XML ($xml) to keep it in the calc namespace. Faults carry no headers.
//   - Unknown SOAPAction: HTTP 500 with a SOAP-1.2-shaped fault (soap:Code,
//     SOAP-ENV:Server, InternalServerError, the TypeError text as Reason) even
//     inside a SOAP 1.1 envelope. Unknown body element without SOAPAction:
//     HTTP 500, Content-Type copied, a plain-text JavaScript stack trace.
//     Malformed XML: HTTP 500, a 1.1 fault (faultcode "500", "Invalid XML")
//     under a wsse:Security header with soap:mustUnderstand="1".
//   - WS-Addressing: node-soap has none. The header hook below answers a
//     request that carried wsa:MessageID with wsa:Action (the WSDL default
//     output action, .../CalcPortType/AddResponse) and wsa:RelatesTo (that
//     ID), WS-Addressing 1.0 namespace, no mustUnderstand, on successful
//     replies only. Without a MessageID the reply has no Header at all.
'use strict';

const fs = require('fs');
const http = require('http');
const soap = require('soap');

const port = Number(process.argv[2]);
const wsdlPath = process.argv[3];
if (!port || !wsdlPath) {
  console.error('usage: node server.js PORT WSDL_PATH');
  process.exit(2);
}
const wsdl = fs.readFileSync(wsdlPath, 'utf8');

const WSA = 'http://www.w3.org/2005/08/addressing';
const TNS = 'http://example.com/calc';

function calcFaultXML(code, message) {
  return `<tns:CalcFault xmlns:tns="${TNS}"><tns:code>${code}</tns:code>` +
    `<tns:message>${message}</tns:message></tns:CalcFault>`;
}

function operations(soap12) {
  return {
    Add(args) {
      return { result: Number(args.a) + Number(args.b) };
    },
    Echo(args) {
      if (args.text === 'fault') {
        const message = 'Echo was asked to fail';
        if (soap12) {
          throw {
            Fault: {
              Code: { Value: 'soap:Sender', Subcode: { Value: 'tns:CalcError' } },
              Reason: { Text: { attributes: { 'xml:lang': 'en' }, $value: 'echo fault requested' } },
              Detail: { $xml: calcFaultXML(42, message) },
              statusCode: 500,
            },
          };
        }
        throw {
          Fault: {
            faultcode: 'soap:Client',
            faultstring: 'echo fault requested',
            detail: { $xml: calcFaultXML(42, message) },
            statusCode: 500,
          },
        };
      }
      return { text: args.text };
    },
  };
}

// text returns the text of a parsed header value: node-soap gives a plain
// string, or an object with $value when the element had attributes.
function text(v) {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return String(v.$value || '');
  return String(v);
}

function escapeXML(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function addressingReply(methodName, args, headers) {
  const id = headers && text(headers.MessageID);
  if (!id) return '';
  return `<wsa:Action xmlns:wsa="${WSA}">${TNS}/CalcPortType/${methodName}Response</wsa:Action>` +
    `<wsa:RelatesTo xmlns:wsa="${WSA}">${escapeXML(id)}</wsa:RelatesTo>`;
}

const server = http.createServer((req, res) => {
  res.statusCode = 404;
  res.end('not a calc endpoint: ' + req.url + '\n');
});

for (const [path, soap12] of [['/calc/soap11', false], ['/calc/soap12', true]]) {
  const ops = operations(soap12);
  const srv = soap.listen(server, {
    path,
    xml: wsdl,
    forceSoap12Headers: soap12,
    services: { CalcService: { CalcSoap11Port: ops, CalcSoap12Port: ops } },
  });
  srv.addSoapHeader(addressingReply);
  srv.log = (type, data) => {
    if (type === 'received' || type === 'replied' || type === 'error') {
      console.error(`[${path}] ${type}: ${typeof data === 'string' ? data : (data && data.stack) || JSON.stringify(data)}`);
    }
  };
}

server.listen(port, '127.0.0.1', () => {
  console.log('listening ' + port);
});

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => process.exit(0));
}
