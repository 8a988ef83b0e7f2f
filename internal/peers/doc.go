// Package peers starts real third-party SOAP implementations on loopback for
// wsgo's interop tests (package interop): node-soap and Spyne as servers of
// the shared calc contract (internal/testtypes/wsdl/calc.wsdl), and zeep as a
// client of a wsgo service host.
//
// The peers are installed outside the repository by
//
//	bash scripts/peers.sh install
//
// (node-soap into ${WSGO_PEERS_DIR:-$HOME/.cache/wsgo/peers}, Spyne and zeep
// as Debian packages for /usr/bin/python3). Their scripts are embedded here
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
