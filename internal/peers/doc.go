// Package peers starts real third-party SOAP implementations on loopback for
// wsgo's interop tests (package interop): node-soap and Spyne as servers of
// the shared calc contract (internal/testtypes/wsdl/calc.wsdl), and zeep as a
// client of a wsgo service host (and, with python3-xmlsec, as a WS-Security
// signer and verifier: RunZeepWSSecurity and friends).
//
// For the security tests it also starts the web servers, proxies and KDC a
// SOAP client meets in front of a service, each as a private instance with
// its own configuration, logs and free ports: apache (StartApache: Basic,
// Digest, NTLM through gss-ntlmssp, Negotiate through mod_auth_gssapi, TLS
// and mutual TLS; StartApacheProxy: a Digest forward proxy), lighttpd
// (StartLighttpd: Digest SHA-256), squid (StartSquid: Basic, Digest, NTLM
// and Negotiate proxy authentication, CONNECT to any port), tinyproxy
// (StartTinyproxy: Basic) and an MIT Kerberos KDC (StartKDC: a fresh realm,
// keytabs, kinit). Each of them was checked with curl, the reference client,
// in this package's tests. The fixed test credentials are User, Password,
// Domain and the realms.
//
// The peers are installed outside the repository by
//
//	bash scripts/peers.sh install
//
// (node-soap into ${WSGO_PEERS_DIR:-$HOME/.cache/wsgo/peers}, everything else
// as Debian packages). Their scripts are embedded here
// (node/server.js, spyne/server.py, zeep/client.py; each begins with a note
// on what that peer really does on the wire) and written into the test's
// temporary directory when a peer starts.
//
// A peer that is not installed, or does not come up, skips the test, unless
// the environment says WSGO_PEERS=require (as scripts/test.sh does), in
// which case the test fails with the reason. Each server runs in its own
// process group on a free 127.0.0.1 port and is stopped, group and all, by
// the test's cleanup; its output is logged when the test failed.
//
// The package is internal and imported only by tests.
package peers
