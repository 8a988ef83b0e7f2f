#!/usr/bin/env bash
# Third-party peers for the interop and security tests (interop/,
# internal/peers/), all run on loopback by the tests themselves:
#
#   node-soap 1.13.0  npm package, installed into the peers dir
#                     ${WSGO_PEERS_DIR:-$HOME/.cache/wsgo/peers}/node_modules
#   Spyne, zeep       Debian packages python3-spyne and python3-zeep, used
#                     through /usr/bin/python3 (not a pyenv python3 on PATH);
#                     python3-xmlsec for the WS-Security interop
#   security peers    Debian packages: apache2 (+ apache2-utils,
#                     libapache2-mod-auth-gssapi, gss-ntlmssp), lighttpd,
#                     squid, tinyproxy, MIT Kerberos (krb5-kdc,
#                     krb5-admin-server, krb5-user) and curl, the reference
#                     client the harness's own tests use
#
# Usage:
#   bash scripts/peers.sh install   install whatever is missing; quiet and
#                                   quick when everything is already there
#   bash scripts/peers.sh check     exit 0 when every peer is installed,
#                                   else name what is missing and exit 1
#
# The Debian packages' maintainer scripts would start their daemons (apache2,
# squid, tinyproxy, lighttpd, krb5kdc, kadmind) system-wide. The tests run
# private instances and want none of those: while apt runs, a policy-rc.d
# that forbids starting services is in place (unless the system already has
# one), and afterwards any default-instance daemon that came up anyway is
# stopped through its own pid file. Nothing here needs systemd.
#
# Exits non-zero with a message naming the peer when something cannot be
# installed. The tests find the peers dir through the same WSGO_PEERS_DIR.
set -euo pipefail

NODE_SOAP_VERSION=1.13.0
PEERS_DIR=${WSGO_PEERS_DIR:-$HOME/.cache/wsgo/peers}
PYTHON=/usr/bin/python3

# Debian packages, and a file each must have installed (what the tests run);
# the Python packages are checked by importing them instead.
declare -A APT_FILES=(
	[apache2]=/usr/sbin/apache2
	[apache2-utils]=/usr/bin/htdigest
	[libapache2-mod-auth-gssapi]=/usr/lib/apache2/modules/mod_auth_gssapi.so
	[gss-ntlmssp]=/usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so
	[lighttpd]=/usr/sbin/lighttpd
	[squid]=/usr/sbin/squid
	[tinyproxy]=/usr/bin/tinyproxy
	[krb5-kdc]=/usr/sbin/krb5kdc
	[krb5-admin-server]=/usr/sbin/kadmin.local
	[krb5-user]=/usr/bin/kinit
	[curl]=/usr/bin/curl
)
APT_PACKAGES=(python3-spyne python3-zeep python3-xmlsec apache2 apache2-utils
	libapache2-mod-auth-gssapi gss-ntlmssp lighttpd squid tinyproxy krb5-kdc
	krb5-admin-server krb5-user curl)

# Default-instance pid files of the daemons the packages bring, stopped after
# the install should a maintainer script have started one anyway.
DAEMON_PIDFILES=(/run/apache2/apache2.pid /run/squid.pid /run/tinyproxy/tinyproxy.pid
	/run/lighttpd.pid /run/krb5kdc.pid /run/kadmind.pid)

LOG=$(mktemp)
OWN_POLICY=
cleanup() {
	rm -f "$LOG"
	if [ -n "$OWN_POLICY" ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
}
trap cleanup EXIT

die() { printf 'peers.sh: %s\n' "$*" >&2; exit 1; }

# apt_ok reports whether package $1 is installed with its file in place
# (python3-xmlsec: importable by $PYTHON).
apt_ok() {
	local pkg=$1
	[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || return 1
	case $pkg in
	python3-spyne) "$PYTHON" -c 'import spyne, lxml' >/dev/null 2>&1 ;;
	python3-zeep) "$PYTHON" -c 'import zeep' >/dev/null 2>&1 ;;
	python3-xmlsec) "$PYTHON" -c 'import xmlsec' >/dev/null 2>&1 ;;
	*) [ -e "${APT_FILES[$pkg]}" ] ;;
	esac
}

missing_apt() {
	local pkg
	for pkg in "${APT_PACKAGES[@]}"; do
		apt_ok "$pkg" || echo "$pkg"
	done
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
		die "installing Debian packages needs root (or sudo): run as root or install them by hand"
	fi
}

# forbid_service_starts puts a policy-rc.d in place that tells invoke-rc.d
# not to start anything (exit 101), unless the system already has one.
forbid_service_starts() {
	[ -e /usr/sbin/policy-rc.d ] && return 0
	printf '#!/bin/sh\n# scripts/peers.sh: no daemon starts while peers install\nexit 101\n' |
		as_root tee /usr/sbin/policy-rc.d >/dev/null
	as_root chmod 755 /usr/sbin/policy-rc.d
	OWN_POLICY=1
}

# stop_default_daemons stops any default-instance daemon a maintainer script
# started despite policy-rc.d, by the pid in its own pid file.
stop_default_daemons() {
	local f pid
	for f in "${DAEMON_PIDFILES[@]}"; do
		[ -s "$f" ] || continue
		pid=$(head -n1 "$f" | tr -dc 0-9)
		[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || continue
		as_root kill -TERM "$pid" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.5
		done
		echo "peers.sh: stopped the default $(basename "$f" .pid) (pid $pid) a package had started"
	done
}

apt_install() {
	as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q \
		--no-install-recommends -o Dpkg::Options::=--force-confdef \
		-o Dpkg::Options::=--force-confold "$@" >"$LOG" 2>&1
}

install_apt() {
	local missing
	mapfile -t missing < <(missing_apt)
	[ ${#missing[@]} -eq 0 ] && return 0
	command -v apt-get >/dev/null 2>&1 ||
		die "apt-get not found: install ${missing[*]} by hand"
	forbid_service_starts
	if ! apt_install "${missing[@]}"; then
		# A fresh image has no (or old) package lists: fetch them once and retry.
		if grep -qE 'Unable to locate package|has no installation candidate|404 +Not Found|Failed to fetch' "$LOG"; then
			as_root apt-get update -q >"$LOG" 2>&1 ||
				{ cat "$LOG" >&2; die "apt-get update failed (is the Debian mirror reachable?)"; }
			apt_install "${missing[@]}" ||
				{ cat "$LOG" >&2; die "apt-get install ${missing[*]} failed after apt-get update"; }
		else
			cat "$LOG" >&2
			die "apt-get install ${missing[*]} failed"
		fi
	fi
	stop_default_daemons
	local still
	mapfile -t still < <(missing_apt)
	[ ${#still[@]} -eq 0 ] || die "apt-get installed ${missing[*]} but these still fail their check: ${still[*]}"
	echo "peers.sh: installed ${missing[*]}"
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
	local missing=() pkg
	for pkg in $(missing_apt); do
		missing+=("Debian package $pkg")
	done
	node_soap_ok || missing+=("soap@$NODE_SOAP_VERSION in $PEERS_DIR")
	if [ ${#missing[@]} -gt 0 ]; then
		printf 'peers.sh: missing: %s\n' "${missing[@]}" >&2
		echo "peers.sh: run 'bash scripts/peers.sh install'" >&2
		return 1
	fi
}

case "${1:-}" in
install)
	install_apt
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
