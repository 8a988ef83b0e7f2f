#!/usr/bin/env bash
# The whole wsgo test suite, as CI runs it: formatting, vet, staticcheck, and
# every package's tests under the race detector and once more without it
# (for allocation assertions). Committed fuzz corpora
# (testdata/fuzz/...) run as ordinary test cases.
#
# The interop tests talk to real third-party SOAP stacks (node-soap, Spyne,
# zeep), web servers and proxies (apache, lighttpd, squid, tinyproxy) and an
# MIT Kerberos KDC, all started on loopback. This script installs them when
# they are missing
# (scripts/peers.sh) and sets WSGO_PEERS=require, so a peer that cannot be
# installed or started fails the run instead of being skipped. Plain
# `go test ./...` skips those tests when the peers are absent.
set -euo pipefail
cd "$(dirname "$0")/.."

STATICCHECK=honnef.co/go/tools/cmd/staticcheck@v0.7.0

step() { printf '\n== %s\n' "$*"; }

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "go vet"
go vet ./...

step "staticcheck ($STATICCHECK)"
go run "$STATICCHECK" ./...

step "peers: install the third-party SOAP stacks if missing"
bash scripts/peers.sh install
export WSGO_PEERS=require

step "go test -race ./... (unit, fuzz seeds, examples, interop with real peers)"
go test -race -count=1 ./...

# Allocation assertions (testing.AllocsPerRun) only mean something without
# the race detector, which makes sync.Pool drop items at random.
step "go test (allocation assertions, without -race; interop ran above)"
go test -count=1 $(go list ./... | grep -v /interop)
