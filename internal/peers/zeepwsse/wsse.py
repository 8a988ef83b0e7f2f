# zeep's WS-Security (Debian python3-zeep 4.2 with python3-xmlsec) as a
# third-party peer of wsgo's security/wssec, run by internal/peers
# (zeep_wsse.go) as:
#
#   wsse.py call WSDL_PATH ADDRESS soap11|soap12 CONFIG_JSON
#       zeep calls Add(2, 3) and Echo("hi") on the calc service at ADDRESS
#       with the WS-Security the config asks for, and prints one JSON line
#       per call, as client.py does ({"op": "Add", "result": 5}, or
#       "fault" / "error"). CONFIG_JSON keys: username, password, digest
#       (zeep's UsernameToken, use_digest), timestamp (a wsu:Timestamp of
#       ttl seconds, added before the other tokens; zeep signs it), key and
#       cert (PEM files: zeep signs Body and Timestamp), embed_cert (zeep's
#       Signature: the certificate in X509Data inside the
#       SecurityTokenReference; else BinarySignature: a
#       BinarySecurityToken referenced by wsu:Id), signature_method
#       ("rsa-sha256" or "rsa-sha1"), digest_method ("sha256" or "sha1"),
#       reply_cert (PEM: verify signed replies with zeep's verify_envelope;
#       without it replies are not checked).
#
#   wsse.py verify ENVELOPE_FILE CERT_FILE
#       zeep.wsse.signature.verify_envelope (xmlsec) on the envelope with
#       the certificate; prints {"ok": true} or {"ok": false, "error": ...}.
#
#   wsse.py digest NONCE CREATED PASSWORD
#       zeep's UsernameToken(use_digest=True) with that nonce (its UTF-8
#       bytes are the raw nonce) and created time (ISO 8601, UTC); prints
#       {"password": digest, "nonce": base64 nonce, "created": text}, as
#       zeep wrote them into the token.
#
# What zeep does on the wire (checked in zeep 4.2.1's wsse sources):
#   - The wsse:Security header is appended to the Header with no
#     mustUnderstand; UsernameToken and Timestamp carry no wsu:Id.
#   - PasswordDigest: base64(sha1(nonce + created + password)); Created is
#     written "YYYY-MM-DDTHH:MM:SS+00:00" (no fraction, no "Z").
#   - Signatures (xmlsec): exclusive C14N for SignedInfo and each reference,
#     references to the Body and the Timestamp by wsu:Id (zeep adds them),
#     the ds:Signature first in the Security header, the
#     BinarySecurityToken right after it. zeep's default algorithms are
#     RSA-SHA1 and SHA-1.
#   - zeep verifies every reply (faults too) with the wsse objects' verify;
#     BinarySignature.verify would use the client's own certificate, so
#     this script replaces it (reply_cert, or no check).
import base64
import datetime
import json
import sys

from lxml import etree
from zeep import Client, Settings
from zeep.exceptions import Fault
from zeep.plugins import Plugin
from zeep.transports import Transport
from zeep.wsse import utils
from zeep.wsse.compose import Compose
from zeep.wsse.signature import BinarySignature, Signature, verify_envelope
from zeep.wsse.username import UsernameToken

TNS = 'http://example.com/calc'
BINDINGS = {
    'soap11': '{%s}CalcSoap11Binding' % TNS,
    'soap12': '{%s}CalcSoap12Binding' % TNS,
}


class LogPlugin(Plugin):
    """Logs every envelope zeep sends and receives on stderr (after wsse)."""

    def egress(self, envelope, http_headers, operation, binding_options):
        sys.stderr.write('zeep sent %s: %s\n' % (
            operation.name, etree.tostring(envelope, encoding='unicode')))
        return envelope, http_headers

    def ingress(self, envelope, http_headers, operation):
        sys.stderr.write('zeep received for %s: %s\n' % (
            operation.name, etree.tostring(envelope, encoding='unicode')))
        return envelope, http_headers


class Timestamp:
    """Adds a wsu:Timestamp (Created now, Expires now + ttl) to the header."""

    def __init__(self, ttl):
        self.ttl = ttl

    def apply(self, envelope, headers):
        security = utils.get_security_header(envelope)
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        ts = utils.WSU.Timestamp(
            utils.WSU.Created(now.strftime('%Y-%m-%dT%H:%M:%SZ')),
            utils.WSU.Expires((now + datetime.timedelta(seconds=self.ttl)).strftime('%Y-%m-%dT%H:%M:%SZ')))
        security.append(ts)
        return envelope, headers

    def verify(self, envelope):
        pass


def reply_verifier(cls, reply_cert):
    """A zeep signature class whose verify checks replies with reply_cert
    (skipping faults, which a service does not sign) or not at all."""

    class Signer(cls):
        def verify(self, envelope):
            if not reply_cert:
                return envelope
            if any(el.tag.endswith('}Fault') for el in envelope.iter()):
                return envelope
            verify_envelope(envelope, reply_cert)
            return envelope

    return Signer


def wsse_objects(cfg):
    objs = []
    if cfg.get('timestamp'):
        objs.append(Timestamp(cfg.get('ttl', 300)))
    if cfg.get('username'):
        objs.append(UsernameToken(cfg['username'], cfg.get('password'),
                                  use_digest=bool(cfg.get('digest'))))
    if cfg.get('key'):
        import xmlsec
        methods = {'rsa-sha256': xmlsec.Transform.RSA_SHA256, 'rsa-sha1': xmlsec.Transform.RSA_SHA1}
        digests = {'sha256': xmlsec.Transform.SHA256, 'sha1': xmlsec.Transform.SHA1}
        cls = Signature if cfg.get('embed_cert') else BinarySignature
        cls = reply_verifier(cls, cfg.get('reply_cert'))
        objs.append(cls(cfg['key'], cfg['cert'],
                        signature_method=methods[cfg.get('signature_method', 'rsa-sha256')],
                        digest_method=digests[cfg.get('digest_method', 'sha256')]))
    return Compose(objs)


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
            'detail': None,
        }
    except Exception as e:  # noqa: BLE001 - reported to the Go test
        line['error'] = '%s: %s' % (type(e).__name__, e)
    print(json.dumps(line), flush=True)


def cmd_call(wsdl, address, version, cfg_json):
    cfg = json.loads(cfg_json)
    client = Client(wsdl, wsse=wsse_objects(cfg), plugins=[LogPlugin()],
                    transport=Transport(timeout=20, operation_timeout=20),
                    settings=Settings(strict=True))
    service = client.create_service(BINDINGS[version], address)
    call('Add', service.Add, a=2, b=3)
    call('Echo', service.Echo, text='hi')


def cmd_verify(path, cert):
    with open(path, 'rb') as f:
        envelope = etree.fromstring(f.read())
    try:
        verify_envelope(envelope, cert)
        print(json.dumps({'ok': True}))
    except Exception as e:  # noqa: BLE001 - reported to the Go test
        print(json.dumps({'ok': False, 'error': '%s: %s' % (type(e).__name__, e)}))


def cmd_digest(nonce, created, password):
    when = datetime.datetime.fromisoformat(created.replace('Z', '+00:00'))
    token = UsernameToken('user', password, use_digest=True, nonce=nonce, created=when)
    envelope = etree.fromstring(
        '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">'
        '<soap-env:Body/></soap-env:Envelope>')
    token.apply(envelope, {})
    ns = {'wsse': utils.NSMAP['wsse'], 'wsu': utils.NSMAP['wsu']}
    print(json.dumps({
        'password': envelope.findtext('.//wsse:Password', namespaces=ns),
        'nonce': envelope.findtext('.//wsse:Nonce', namespaces=ns),
        'created': envelope.findtext('.//wsu:Created', namespaces=ns),
    }))


def main():
    args = sys.argv[1:]
    if len(args) == 5 and args[0] == 'call' and args[3] in BINDINGS:
        cmd_call(*args[1:])
    elif len(args) == 3 and args[0] == 'verify':
        cmd_verify(*args[1:])
    elif len(args) == 4 and args[0] == 'digest':
        cmd_digest(*args[1:])
    else:
        sys.stderr.write('usage: wsse.py call WSDL ADDRESS soap11|soap12 CONFIG_JSON\n'
                         '       wsse.py verify ENVELOPE CERT\n'
                         '       wsse.py digest NONCE CREATED PASSWORD\n')
        sys.exit(2)


if __name__ == '__main__':
    main()
