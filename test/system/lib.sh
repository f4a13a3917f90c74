# shellcheck shell=bash
# SPDX-License-Identifier: MIT
#
# lib.sh — the message helpers the test scripts share (sourced, not run).
# The sourcing script sets PROG first. The privileged helpers in helpers/ do
# not use this: each of them stands alone, as root code should.

say() {
	printf '%s: %s\n' "$PROG" "$*" >&2
}

err() {
	say "error: $*"
	exit 1
}

need_cmd() {
	command -v "$1" >/dev/null 2>&1 || err "need '$1' (not found on PATH)"
}
