#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# stage-stand-in.sh — put the stand-in game server where a real srcds install
# would be: STATE/installation/srcds_run (left4me:left4me 0755) plus an
# installation/left4dead2/cfg/ dir. Run as root inside a test container after
# deploy/install.sh; system tests and the demo both use this one script.
#
# Usage: stage-stand-in.sh   (the checkout is found relative to this file)
set -euo pipefail

readonly PROG=stage-stand-in.sh
readonly STATE=/var/lib/left4me
readonly OWNER=left4me

# shellcheck source=test/system/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
	[[ $# -eq 0 ]] || err "takes no arguments"
	[[ $EUID -eq 0 ]] || err "must run as root"
	need_cmd install
	need_cmd getent
	local src dir
	src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
	local stand_in="$src/test/fixtures/stand-in/srcds_run"
	[[ -f $stand_in ]] || err "no stand-in at $stand_in"
	getent passwd "$OWNER" >/dev/null || err "no user '$OWNER' (run deploy/install.sh first)"
	[[ -d $STATE ]] || err "no $STATE (run deploy/install.sh first)"

	for dir in installation installation/left4dead2 installation/left4dead2/cfg; do
		[[ -d $STATE/$dir ]] || install -d -o "$OWNER" -g "$OWNER" -m 0755 "$STATE/$dir"
	done
	install -o "$OWNER" -g "$OWNER" -m 0755 "$stand_in" "$STATE/installation/srcds_run"
	say "stand-in staged at $STATE/installation/srcds_run"
}

main "$@"
