# zeep (Debian python3-zeep 4.2) as a third-party client of a wsgo service,
# run by internal/peers (RunZeep) as:
#   /usr/bin/python3 client.py WSDL_PATH ADDRESS soap11|soap12 [wsa]
#
# Loads calc.wsdl from a local file (zeep resolves nothing over the network
# here), binds to CalcSoap11Binding or CalcSoap12Binding at ADDRESS and calls
# Add(2, 3), Echo("hi") and Echo("fault"). With "wsa" it adds zeep's
# WS-Addressing plugin (wsa:Action, wsa:MessageID, wsa:To, WS-Addressing 1.0).
# Prints one JSON object per call on stdout:
#   {"op": "Add", "result": 5}
#   {"op": "Echo", "text": "hi"}
#   {"op": "Echo", "fault": {"message": ..., "code": ..., "subcodes": [...],
#                            "detail": {"code": 42, "message": ...}}}
# or {"op": ..., "error": "..."} for anything else that went wrong (transport
# error, unparsable reply), and logs every sent and received envelope on
# stderr. Exits 0 once all three calls were made, whatever they returned.
#
# What zeep really sends (checked against a socket printing the request):
#   - HTTP/1.1 through requests/urllib3, Connection: keep-alive,
#     Content-Length, User-Agent Zeep/4.2.1, Accept-Encoding gzip, deflate.
#   - SOAP 1.1: Content-Type text/xml; charset=utf-8 and a quoted
#     SOAPAction header ("http://example.com/calc/Add").
#   - SOAP 1.2: Content-Type application/soap+xml; charset=utf-8;
#     action="http://example.com/calc/Add" AND the quoted SOAPAction header
#     as well (zeep sends it for both versions).
#   - <?xml version='1.0' encoding='utf-8'?> and a newline, envelope prefix
#     soap-env, body element in the ns0 prefix:
#     <ns0:Add xmlns:ns0="http://example.com/calc"><ns0:a>2</ns0:a>...
#     No Header element unless a plugin adds one.
#   - With WsAddressingPlugin: a Header declaring wsa, then wsa:Action (the
#     SOAPAction value), wsa:MessageID (urn:uuid:...) and wsa:To, no
#     mustUnderstand, no wsa:ReplyTo. zeep does not check wsa:RelatesTo.
#   - A fault reply is read whatever the HTTP status; zeep reads
#     faultcode/faultstring (1.1) or Code/Value, Subcode/Value as QNames,
#     Reason/Text (1.2) and hands the detail element over raw.
import json
import sys

from lxml import etree
from zeep import Client, Settings
from zeep.exceptions import Fault
from zeep.plugins import HistoryPlugin, Plugin
from zeep.transports import Transport
from zeep.wsa import WsAddressingPlugin

TNS = 'http://example.com/calc'
BINDINGS = {
    'soap11': '{%s}CalcSoap11Binding' % TNS,
    'soap12': '{%s}CalcSoap12Binding' % TNS,
}


class LogPlugin(Plugin):
    """Logs every envelope zeep sends and receives on stderr."""

    def egress(self, envelope, http_headers, operation, binding_options):
        sys.stderr.write('zeep sent %s to %s: %s\n%s\n' % (
            operation.name, binding_options.get('address'), dict(http_headers),
            etree.tostring(envelope, encoding='unicode')))
        return envelope, http_headers

    def ingress(self, envelope, http_headers, operation):
        sys.stderr.write('zeep received for %s: %s\n%s\n' % (
            operation.name, dict(http_headers),
            etree.tostring(envelope, encoding='unicode')))
        return envelope, http_headers


def calc_fault(detail):
    """Decodes the CalcFault inside a fault's detail element, or None."""
    if detail is None or not isinstance(detail, etree._Element):
        return None
    node = detail if detail.tag == '{%s}CalcFault' % TNS else \
        detail.find('{%s}CalcFault' % TNS)
    if node is None:
        return None
    code = node.findtext('{%s}code' % TNS)
    return {
        'code': int(code) if code is not None else None,
        'message': node.findtext('{%s}message' % TNS),
    }


def call(op, fn, **kwargs):
    line = {'op': op}
    try:
        result = fn(**kwargs)
        if op == 'Add':
            line['result'] = result
        else:
            line['text'] = result
    except Fault as f:
        line['fault'] = {
            'message': f.message,
            'code': f.code,
            'subcodes': [str(q) for q in (f.subcodes or [])],
            'detail': calc_fault(f.detail),
        }
    except Exception as e:  # noqa: BLE001 - reported to the Go test
        line['error'] = '%s: %s' % (type(e).__name__, e)
    print(json.dumps(line), flush=True)


def main():
    args = sys.argv[1:]
    if len(args) not in (3, 4) or args[2] not in BINDINGS or \
            (len(args) == 4 and args[3] != 'wsa'):
        sys.stderr.write('usage: client.py WSDL_PATH ADDRESS soap11|soap12 [wsa]\n')
        sys.exit(2)
    wsdl, address, version = args[:3]
    plugins = [LogPlugin(), HistoryPlugin()]
    if len(args) == 4:
        plugins.insert(0, WsAddressingPlugin())
    client = Client(wsdl, plugins=plugins,
                    transport=Transport(timeout=20, operation_timeout=20),
                    settings=Settings(strict=True))
    service = client.create_service(BINDINGS[version], address)
    call('Add', service.Add, a=2, b=3)
    call('Echo', service.Echo, text='hi')
    call('Echo', service.Echo, text='fault')


if __name__ == '__main__':
    main()
