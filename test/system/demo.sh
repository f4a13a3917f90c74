#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# demo.sh — `npm run demo`: boot a throwaway container with a real systemd,
# install left4me into it from this (built) checkout, create three stand-in
# servers (alpha, bravo, charlie), start two, and open the dashboard on this
# terminal. Quitting the dashboard (q), Ctrl-C or any error tears the
# container down again.
set -euo pipefail

readonly PROG=demo
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly HERE
# The container is named after a hash of the checkout (as harness.ts does), so
# two checkouts' demos never replace each other's machine.
NAME="left4me-demo-$(printf '%s' "$(cd "$HERE/../.." && pwd)" | sha256sum | cut -c1-6)"
readonly NAME
readonly CONTAINER="$HERE/container.sh"
readonly SRC=/src

# shellcheck source=test/system/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Runs CMD inside the container as left4me.
as_left4me() {
	bash "$CONTAINER" exec "$NAME" --user left4me -- "$@"
}

teardown() {
	say "removing the container"
	bash "$CONTAINER" down "$NAME" || say "teardown failed; run: sudo bash $CONTAINER down $NAME"
}

main() {
	[[ -t 0 && -t 1 ]] || err "needs an interactive terminal (run 'sudo npm run demo' in one)"
	[[ $EUID -eq 0 ]] || err "needs root to boot a systemd-nspawn container (run 'sudo npm run demo')"
	bash "$CONTAINER" deps
	need_cmd systemd-nspawn
	need_cmd mmdebstrap
	local project
	project="$(cd "$HERE/../.." && pwd)"
	[[ -f $project/dist/cli/main.js ]] || err "no build in $project (run 'npm run build' first)"

	trap teardown EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM HUP

	say "booting container $NAME (the first run builds a Debian rootfs, about a minute)"
	bash "$CONTAINER" boot "$NAME" --bind-ro "$project:$SRC"
	say "installing left4me from $SRC"
	bash "$CONTAINER" exec "$NAME" -- "$SRC/deploy/install.sh" --source "$SRC" | tail -n 1
	bash "$CONTAINER" exec "$NAME" -- bash "$SRC/test/system/stage-stand-in.sh"

	say "creating alpha, bravo, charlie; starting alpha and bravo"
	as_left4me l4d2ctl create alpha --port 27015 --args '-standin-players 3 +map c2m1_highway' >/dev/null
	# An RCON password, so the dashboard's console (c) works on alpha.
	as_left4me sh -c 'printf "rcon_password \"demo\"\n" > /var/lib/left4me/instances/alpha/cfg/server.cfg'
	as_left4me l4d2ctl create bravo --port 27016 >/dev/null
	as_left4me l4d2ctl create charlie --port 27017 >/dev/null
	as_left4me l4d2ctl start alpha >/dev/null
	as_left4me l4d2ctl start bravo >/dev/null

	say "headless commands from a second terminal: bash test/system/container.sh exec $NAME --user left4me -- l4d2ctl list"
	say "opening the dashboard (q quits and removes the container)"
	bash "$CONTAINER" exec "$NAME" --user left4me --tty -- l4d2ctl
}

main "$@"
