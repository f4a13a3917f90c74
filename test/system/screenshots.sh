#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# screenshots.sh — capture the dashboard from the real demo (test/system/demo.sh:
# a container with a real systemd and stand-in servers) into screenshots/*.png.
# tmux runs the demo; `capture-pane -e -p` reads the screen with its colours;
# aha turns that into HTML and headless Chromium renders the PNG. Needs root,
# tmux, aha and chromium. Usage: sudo bash test/system/screenshots.sh
set -euo pipefail

readonly PROG=screenshots
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly HERE
PROJECT="$(cd "$HERE/../.." && pwd)"
readonly PROJECT
readonly OUT="$PROJECT/screenshots"
readonly SESSION="left4me-shots-$$"
readonly COLS=110 ROWS=32

say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
err() { say "error: $*"; exit 1; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || err "need '$1' (not found on PATH)"; }

# Waits until the screen contains $1 (a fixed string), for at most $2 seconds.
wait_for() {
	local i
	for ((i = 0; i < $2 * 5; i++)); do
		tmux capture-pane -p -t "$SESSION" | grep -qF -- "$1" && return 0
		sleep 0.2
	done
	tmux capture-pane -p -t "$SESSION" >&2
	err "timed out waiting for: $1"
}

# Renders the current screen to $OUT/$1.png.
shoot() {
	local html="$WORK/$1.html"
	{
		printf '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;background:#101418}pre{margin:0;padding:10px;font:14px/1.25 "DejaVu Sans Mono",monospace;color:#d8dee4}</style></head><body><pre>'
		# aha cannot invert the terminal's default colours (SGR 39/49): name them
		# (white on black, as on this page) so inverse rows and highlights render.
		tmux capture-pane -e -p -t "$SESSION" |
			sed 's/^/\x1b[37;40m/; s/\x1b\[39m/\x1b[37m/g; s/\x1b\[49m/\x1b[40m/g; s/\x1b\[0m/\x1b[0;37;40m/g' |
			aha --no-header --black
		printf '</pre></body></html>\n'
	} >"$html"
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=$((COLS * 85 / 10 + 20)),$((ROWS * 35 / 2 + 20)) \
		--screenshot="$OUT/$1.png" "file://$html" >/dev/null 2>&1
	say "wrote screenshots/$1.png"
}

main() {
	[[ $EUID -eq 0 ]] || err "needs root (the demo boots a container)"
	for c in tmux aha chromium; do need_cmd "$c"; done
	WORK="$(mktemp -d)"
	trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -rf "$WORK"' EXIT
	mkdir -p "$OUT"
	tmux new-session -d -s "$SESSION" -x "$COLS" -y "$ROWS" "TERM=xterm-256color bash $HERE/demo.sh"
	wait_for 'l4d2-game.slice' 300
	# Let the CPU sparklines fill and the stand-ins print their status lines.
	sleep 12
	shoot dashboard
	tmux send-keys -t "$SESSION" Tab / s t a t u s Enter
	wait_for 'filter "status"' 10
	sleep 1
	shoot journal-filter
	tmux send-keys -t "$SESSION" Escape Tab x
	wait_for 'stop alpha?' 10
	shoot confirm-stop
	tmux send-keys -t "$SESSION" n '?'
	wait_for 'Keys' 10
	shoot help
	tmux send-keys -t "$SESSION" Escape q
	sleep 3
}

main "$@"
