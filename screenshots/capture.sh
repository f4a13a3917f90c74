#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# capture.sh — screenshot the dashboard from a real demo run: starts `npm run
# demo` in a detached tmux pane of COLSxROWS, waits for the servers to settle,
# optionally types KEYS, captures the pane with its colours (tmux capture-pane
# -e), and renders it to PNG with aha (ANSI to HTML) and headless Chromium.
#
# Usage: screenshots/capture.sh OUT.png [COLS] [ROWS] [KEYS...]
# Needs root (the demo boots a container), tmux, aha, chromium.
set -euo pipefail

readonly PROG=capture.sh
readonly SESSION=left4me-capture

say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
err() { say "error: $*"; exit 1; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || err "need '$1' (apt-get install $2)"; }

main() {
	[[ $# -ge 1 ]] || err "usage: $PROG OUT.png [COLS] [ROWS] [KEYS...]"
	local out=$1 cols=${2:-100} rows=${3:-30}
	shift $(($# < 3 ? $# : 3))
	need_cmd tmux tmux
	need_cmd aha aha
	need_cmd chromium chromium
	local here tmp
	here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
	tmp=$(mktemp -d)
	# shellcheck disable=SC2064 # expand $tmp now: the trap runs after main has returned
	trap "tmux kill-session -t '$SESSION' 2>/dev/null || true; rm -rf '$tmp'" EXIT

	tmux kill-session -t "$SESSION" 2>/dev/null || true
	tmux new-session -d -s "$SESSION" -x "$cols" -y "$rows" "cd '$here' && npm run demo; sleep 30"
	say "waiting for the dashboard"
	local _
	for _ in $(seq 1 120); do
		tmux capture-pane -p -t "$SESSION" | grep -q 'CPU%' && break
		sleep 1
	done
	# Let a few refreshes and journal lines arrive.
	sleep 12
	local key
	for key in "$@"; do
		tmux send-keys -t "$SESSION" "$key"
		sleep 1
	done
	tmux capture-pane -e -p -t "$SESSION" >"$tmp/pane.ansi"
	tmux send-keys -t "$SESSION" q
	{
		printf '<!doctype html><meta charset="utf-8"><style>body{margin:0;background:#111;color:#ddd}'
		printf 'pre{margin:12px;font:15px/1.25 "DejaVu Sans Mono",monospace}</style><body><pre>'
		# aha cannot invert the terminal's default colours (SGR 39/49): name them
		# (white on black, as on this page) so inverse rows and highlights render.
		sed 's/^/\x1b[37;40m/; s/\x1b\[39m/\x1b[37m/g; s/\x1b\[49m/\x1b[40m/g; s/\x1b\[0m/\x1b[0;37;40m/g' "$tmp/pane.ansi" |
			aha --no-header --black
		printf '</pre></body>'
	} >"$tmp/pane.html"
	local width=$((cols * 9 + 24)) height=$((rows * 19 + 24))
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$tmp/profile" --hide-scrollbars \
		--window-size="$width,$height" --screenshot="$tmp/shot.png" "file://$tmp/pane.html" >/dev/null 2>&1
	[[ -s $tmp/shot.png ]] || err "chromium wrote no screenshot"
	cp "$tmp/shot.png" "$out"
	sed 's/\x1b\[[0-9;]*m//g' "$tmp/pane.ansi" >"${out%.png}.txt"
	say "wrote $out and ${out%.png}.txt"
	# Give the demo time to tear its container down.
	sleep 6
}

main "$@"
