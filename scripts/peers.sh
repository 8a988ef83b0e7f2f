#!/usr/bin/env bash
# Third-party SOAP peers for the interop tests (interop/, internal/peers/):
#
#   node-soap 1.13.0  npm package, installed into the peers dir
#                     ${WSGO_PEERS_DIR:-$HOME/.cache/wsgo/peers}/node_modules
#   Spyne, zeep       Debian packages python3-spyne and python3-zeep, used
#                     through /usr/bin/python3 (not a pyenv python3 on PATH)
#
# Usage:
#   bash scripts/peers.sh install   install whatever is missing; quiet and
#                                   quick when everything is already there
#   bash scripts/peers.sh check     exit 0 when every peer is installed,
#                                   else name what is missing and exit 1
#
# Exits non-zero with a message naming the peer when something cannot be
# installed. The tests find the peers dir through the same WSGO_PEERS_DIR.
set -euo pipefail

NODE_SOAP_VERSION=1.13.0
PEERS_DIR=${WSGO_PEERS_DIR:-$HOME/.cache/wsgo/peers}
PYTHON=/usr/bin/python3
APT_PACKAGES=(python3-spyne python3-zeep)

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

die() { printf 'peers.sh: %s\n' "$*" >&2; exit 1; }

python_ok() {
	[ -x "$PYTHON" ] && "$PYTHON" -c 'import spyne, zeep, lxml' >/dev/null 2>&1
}

node_soap_ok() {
	local pkg=$PEERS_DIR/node_modules/soap/package.json
	command -v node >/dev/null 2>&1 && [ -f "$pkg" ] &&
		[ "$(node -p "require(process.argv[1]).version" "$pkg" 2>/dev/null)" = "$NODE_SOAP_VERSION" ]
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo -n "$@"
	else
		die "installing ${APT_PACKAGES[*]} needs root (or sudo): run as root or install them by hand"
	fi
}

install_python() {
	python_ok && return 0
	command -v apt-get >/dev/null 2>&1 ||
		die "apt-get not found: install ${APT_PACKAGES[*]} (Spyne and zeep for $PYTHON) by hand"
	if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${APT_PACKAGES[@]}" >"$LOG" 2>&1; then
		# A fresh image has no package lists: fetch them once and retry.
		if grep -qE 'Unable to locate package|has no installation candidate' "$LOG"; then
			as_root apt-get update -q >"$LOG" 2>&1 ||
				{ cat "$LOG" >&2; die "apt-get update failed (is the Debian mirror reachable?)"; }
			as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
				"${APT_PACKAGES[@]}" >"$LOG" 2>&1 ||
				{ cat "$LOG" >&2; die "apt-get install ${APT_PACKAGES[*]} failed after apt-get update"; }
		else
			cat "$LOG" >&2
			die "apt-get install ${APT_PACKAGES[*]} failed"
		fi
	fi
	python_ok || die "${APT_PACKAGES[*]} installed but '$PYTHON -c \"import spyne, zeep, lxml\"' still fails"
	echo "peers.sh: installed ${APT_PACKAGES[*]}"
}

install_node_soap() {
	node_soap_ok && return 0
	command -v node >/dev/null 2>&1 || die "node not found: node-soap needs Node.js (20 or later) on PATH"
	command -v npm >/dev/null 2>&1 || die "npm not found: node-soap is installed with npm"
	mkdir -p "$PEERS_DIR" || die "cannot create the peers dir $PEERS_DIR (set WSGO_PEERS_DIR)"
	# A package.json of its own keeps npm from walking up to a parent project.
	[ -f "$PEERS_DIR/package.json" ] ||
		printf '{"name":"wsgo-peers","private":true}\n' >"$PEERS_DIR/package.json"
	if ! npm install --prefix "$PEERS_DIR" --no-audit --no-fund --loglevel=error \
		"soap@$NODE_SOAP_VERSION" >"$LOG" 2>&1; then
		cat "$LOG" >&2
		die "npm install soap@$NODE_SOAP_VERSION into $PEERS_DIR failed (is the npm registry reachable?)"
	fi
	node_soap_ok || die "npm reported success but $PEERS_DIR/node_modules/soap is not version $NODE_SOAP_VERSION"
	echo "peers.sh: installed soap@$NODE_SOAP_VERSION into $PEERS_DIR"
}

check() {
	local missing=()
	python_ok || missing+=("${APT_PACKAGES[*]} (for $PYTHON)")
	node_soap_ok || missing+=("soap@$NODE_SOAP_VERSION in $PEERS_DIR")
	if [ ${#missing[@]} -gt 0 ]; then
		printf 'peers.sh: missing: %s\n' "${missing[@]}" >&2
		echo "peers.sh: run 'bash scripts/peers.sh install'" >&2
		return 1
	fi
}

case "${1:-}" in
install)
	install_python
	install_node_soap
	;;
check)
	check
	;;
*)
	echo "usage: bash scripts/peers.sh install|check" >&2
	exit 2
	;;
esac
