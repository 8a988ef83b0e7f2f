# Spyne (Debian python3-spyne 2.14) serving a service equivalent to
# internal/testtypes/wsdl/calc.wsdl, started by internal/peers (StartSpyne) as:
#   /usr/bin/python3 server.py PORT
# Prints "listening PORT" on stdout once bound; wsgiref logs one line per
# request on stderr.
#
# Two Spyne applications, same service and namespace, under nested
# WsgiMounters: /calc/soap11 (Soap11 in and out, lxml schema validation) and
# /calc/soap12 (Soap12). Element and field names follow calc.wsdl:
# Add{a,b} -> AddResponse{result}, Echo{text} -> EchoResponse{text}, all
# elements qualified in http://example.com/calc, xs:int for the numbers.
#
# What Spyne really does on the wire (checked with curl):
#   - HTTP/1.0 replies (wsgiref), Content-Length, connection closed after each
#     reply; the server is threaded here (ThreadingMixIn) so a client that
#     holds one connection open does not stall another.
#   - Content-Type: text/xml; charset=utf-8 (1.1) and
#     application/soap+xml; charset=utf-8 (1.2, no action parameter).
#   - Replies start with <?xml version='1.0' encoding='UTF-8'?> and a newline;
#     envelope prefix soap11env / soap12env, body elements prefixed tns:
#     <tns:AddResponse><tns:result>5</tns:result></tns:AddResponse>.
#   - Dispatch on the body element only: SOAPAction and the 1.2 action
#     parameter are ignored, headers (WS-Addressing, mustUnderstand) too.
#     Replies never carry a Header, so no wsa:RelatesTo.
#   - A SOAP 1.1 envelope on /calc/soap12 (or 1.2 on /calc/soap11) is rejected:
#     HTTP 500, a fault in the endpoint's own version, Sender/Client with
#     subcode SoapError, "No {...soap-envelope}Envelope element was found!".
#   - Echo("fault"), SOAP 1.1: HTTP 500, soap11env:Fault with faultcode
#     soap11env:Client.CalcError, faultstring, detail/tns:CalcFault{code 42,
#     message} and an empty <faultactor/>. SOAP 1.2: HTTP 500, Code/Value
#     soap12env:Sender, Subcode/Value "CalcError" (no prefix, so no
#     namespace), Reason/Text xml:lang="en", an empty soap12env:Role,
#     Detail/tns:CalcFault.
#   - Schema-invalid input (e.g. <a>x</a>): HTTP 500 Client.SchemaValidationError
#     fault quoting lxml's message.
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIServer, make_server

from spyne import Application, Fault, Integer32, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11, Soap12
from spyne.util.wsgi_wrapper import WsgiMounter

TNS = 'http://example.com/calc'


def calc_fault(code, message):
    """A CalcFault detail in the dict form Spyne renders for 1.1 and 1.2."""
    return {'{%s}CalcFault' % TNS: {
        '{%s}code' % TNS: str(code),
        '{%s}message' % TNS: message,
    }}


class CalcService(ServiceBase):
    @rpc(Integer32(min_occurs=1, nillable=False),
         Integer32(min_occurs=1, nillable=False),
         _returns=Integer32, _out_variable_name='result')
    def Add(ctx, a, b):
        return a + b

    @rpc(Unicode(min_occurs=1, nillable=False),
         _returns=Unicode, _out_variable_name='text')
    def Echo(ctx, text):
        if text == 'fault':
            raise Fault(faultcode='Client.CalcError',
                        faultstring='echo fault requested',
                        detail=calc_fault(42, 'Echo was asked to fail'))
        return text


def application(protocol_in, protocol_out):
    return Application([CalcService], TNS, name='Calc',
                       in_protocol=protocol_in, out_protocol=protocol_out)


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main():
    if len(sys.argv) != 2:
        sys.stderr.write('usage: server.py PORT\n')
        sys.exit(2)
    port = int(sys.argv[1])
    app = WsgiMounter({'calc': WsgiMounter({
        'soap11': application(Soap11(validator='lxml'), Soap11()),
        'soap12': application(Soap12(validator='lxml'), Soap12()),
    })})
    server = make_server('127.0.0.1', port, app, server_class=ThreadingWSGIServer)
    print('listening %d' % port, flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main()
