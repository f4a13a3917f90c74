#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Install left4me on this host from a built checkout, without network access.
#
# Usage: deploy/install.sh [--source DIR]
#   DIR  a checkout where `npm ci && npm run build` has run (default: the checkout
#        holding this script).
#
# Idempotent: every step compares before it writes and says what it changed; the last
# line is always "left4me: install complete (N changes)". Existing instance data under
# /var/lib/left4me is never touched: only missing directories are created and the
# owner/mode of the top-level ones corrected.
set -euo pipefail

PATH=/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
umask 022

readonly STATE=/var/lib/left4me
readonly ETC=/etc/left4me
readonly LIBEXEC=/usr/local/libexec/left4me
readonly APP=/usr/local/lib/left4me
readonly NODE_FLAGS='--min-semi-space-size=4 --max-semi-space-size=4 --heap-growing-percent=50'
readonly BIN=/usr/local/bin/l4d2ctl
readonly UNITDIR=/etc/systemd/system
readonly SUDOERS=/etc/sudoers.d/left4me
readonly NODE=/usr/bin/node
readonly USER_MAIN=left4me USER_SANDBOX=l4d2-sandbox
readonly STATE_SUBDIRS=(installation overlays overlay-scripts global_overlay_cache workshop_cache instances runtime)

CHANGES=0
UNITS_CHANGED=0
FILE_CHANGED=0
TMP_FILES=()

say() {
	printf 'left4me: %s\n' "$*"
}

err() {
	printf 'left4me: error: %s\n' "$*" >&2
	exit 1
}

need_cmd() {
	command -v "$1" >/dev/null 2>&1 || err "needs '$1' (command not found)"
}

changed() {
	CHANGES=$((CHANGES + 1))
	say "$*"
}

cleanup() {
	if ((${#TMP_FILES[@]})); then rm -rf -- "${TMP_FILES[@]}"; fi
}

usage() {
	cat <<EOF
Usage: deploy/install.sh [--source DIR]

Installs left4me from a built checkout (default: the checkout holding this script):
users $USER_MAIN and $USER_SANDBOX, $STATE, $ETC, helpers in $LIBEXEC, units in
$UNITDIR, the app in $APP, $BIN and $SUDOERS. Run as root; safe to run again.
EOF
}

check_host() {
	[[ $EUID -eq 0 ]] || err "must run as root (try: sudo $0)"
	[[ -d /run/systemd/system && $(cat /proc/1/comm 2>/dev/null) == systemd ]] ||
		err "systemd is not PID 1 on this host; left4me needs it"
	[[ -x $NODE ]] || err "needs Node.js >= 20 at $NODE (not found)"
	local major
	major=$("$NODE" -p 'process.versions.node.split(".")[0]' 2>/dev/null) || err "cannot run $NODE"
	if [[ ! $major =~ ^[0-9]+$ ]] || ((major < 20)); then
		err "needs Node.js >= 20 at $NODE (found $("$NODE" --version 2>/dev/null))"
	fi
	local c
	for c in cat cmp diff cp mv rm mkdir chmod chown stat install mktemp find getent useradd visudo systemctl realpath; do
		need_cmd "$c"
	done
}

check_source() {
	local src=$1
	[[ -f $src/dist/cli/main.js && -d $src/dist/schemas ]] || err "$src/dist is missing or incomplete: run npm ci && npm run build first"
	local f
	for f in package.json deploy/sudoers deploy/sandbox-resolv.conf helpers units; do
		[[ -e $src/$f ]] || err "$src/$f is missing: is $src a left4me checkout?"
	done
}

ensure_user() {
	local name=$1
	shift
	getent passwd "$name" >/dev/null && return 0
	useradd --system --user-group --shell /usr/sbin/nologin "$@" "$name" || err "useradd $name failed"
	changed "created system user $name"
}

# ensure_dir PATH MODE OWNER:GROUP — create it, or fix its mode and owner; never its content.
ensure_dir() {
	local path=$1 mode=$2 owner=$3
	if [[ ! -d $path ]]; then
		[[ ! -e $path && ! -L $path ]] || err "$path exists and is not a directory"
		mkdir -p -- "$path"
		chown -- "$owner" "$path"
		chmod -- "$mode" "$path"
		changed "created $path"
		return 0
	fi
	[[ ! -L $path ]] || err "$path is a symlink; refusing to use it"
	if [[ $(stat -c '%U:%G' -- "$path") != "$owner" ]]; then
		chown -- "$owner" "$path"
		changed "set owner of $path to $owner"
	fi
	if [[ $(stat -c '%a' -- "$path") != "${mode#0}" ]]; then
		chmod -- "$mode" "$path"
		changed "set mode of $path to $mode"
	fi
}

# install_file SRC DST MODE — root-owned copy, replaced atomically, only when it differs.
# Sets FILE_CHANGED to 1 when it wrote DST, 0 when DST was already right.
install_file() {
	local src=$1 dst=$2 mode=$3 tmp
	FILE_CHANGED=0
	if [[ -f $dst && ! -L $dst ]] && cmp -s -- "$src" "$dst" &&
		[[ $(stat -c '%a %U:%G' -- "$dst") == "${mode#0} root:root" ]]; then
		return 0
	fi
	tmp=$(mktemp "${dst%/*}/.${dst##*/}.XXXXXX")
	TMP_FILES+=("$tmp")
	cp -- "$src" "$tmp"
	chown root:root -- "$tmp"
	chmod -- "$mode" "$tmp"
	mv -f -- "$tmp" "$dst"
	FILE_CHANGED=1
	changed "installed $dst"
}

# install_tree SRC DST — replace directory DST by a root-owned copy of SRC when they differ.
install_tree() {
	local src=$1 dst=$2 tmp
	if [[ -d $dst && ! -L $dst ]] && diff -rq --no-dereference -- "$src" "$dst" >/dev/null 2>&1; then
		return 0
	fi
	tmp=$(mktemp -d "${dst%/*}/.${dst##*/}.XXXXXX")
	TMP_FILES+=("$tmp")
	cp -R --preserve=mode,timestamps,links --no-dereference -- "$src/." "$tmp/"
	chown -R root:root -- "$tmp"
	chmod -R go-w -- "$tmp"
	chmod 0755 -- "$tmp"
	rm -rf -- "$dst"
	mv -- "$tmp" "$dst"
	changed "installed $dst"
}

install_state() {
	ensure_user "$USER_MAIN" --home-dir "$STATE" --no-create-home
	ensure_user "$USER_SANDBOX" --home-dir /nonexistent --no-create-home
	# 0711: l4d2-sandbox and the operators' group may pass through, not list.
	ensure_dir "$STATE" 0711 "$USER_MAIN:$USER_MAIN"
	local d
	for d in "${STATE_SUBDIRS[@]}"; do
		ensure_dir "$STATE/$d" 0755 "$USER_MAIN:$USER_MAIN"
	done
	# Last build results: written by left4me-script-sandbox as root, readable by left4me,
	# writable by nobody else (so a build cannot forge or redirect its own result).
	ensure_dir "$STATE/builds" 0755 root:root
	ensure_dir "$ETC" 0755 root:root
}

install_helpers() {
	local src=$1 f
	ensure_dir /usr/local/libexec 0755 root:root
	ensure_dir "$LIBEXEC" 0755 root:root
	for f in "$src"/helpers/left4me-*; do
		[[ -f $f ]] || continue
		install_file "$f" "$LIBEXEC/${f##*/}" 0755
	done
}

install_units() {
	local src=$1 f
	for f in "$src"/units/*.service "$src"/units/*.slice; do
		[[ -f $f ]] || continue
		install_file "$f" "$UNITDIR/${f##*/}" 0644
		((!FILE_CHANGED)) || UNITS_CHANGED=1
	done
}

# l4d2ctl ships as the bundle `npm run build` makes (deploy/bundle.mjs): dist/cli/main.js,
# its chunks and their license notes, the JSON schemas and package.json (for --version).
# No node_modules: every dependency is in the bundle.
install_app() {
	local src=$1 stage wrapper f
	ensure_dir /usr/local/lib 0755 root:root
	ensure_dir "$APP" 0755 root:root
	install_file "$src/package.json" "$APP/package.json" 0644
	if [[ -f $src/README.md ]]; then install_file "$src/README.md" "$APP/README.md" 0644; fi
	stage=$(mktemp -d)
	TMP_FILES+=("$stage")
	mkdir -- "$stage/cli"
	for f in "$src"/dist/cli/main.js "$src"/dist/cli/chunk-*.js "$src"/dist/cli/*.LEGAL.txt; do
		if [[ -f $f && ! -L $f ]]; then cp -- "$f" "$stage/cli/"; fi
	done
	cp -R -- "$src/dist/schemas" "$stage/schemas"
	install_tree "$stage" "$APP/dist"
	if [[ -e $APP/node_modules ]]; then
		rm -rf -- "$APP/node_modules"
		changed "removed $APP/node_modules (l4d2ctl is bundled)"
	fi
	wrapper=$(mktemp)
	TMP_FILES+=("$wrapper")
	# The V8 flags are deploy/bundle.mjs's NODE_FLAGS (why: see there).
	printf '#!/bin/sh\n# left4me: installed by deploy/install.sh\nexec %s %s %s "$@"\n' "$NODE" "$NODE_FLAGS" "$APP/dist/cli/main.js" >"$wrapper"
	ensure_dir /usr/local/bin 0755 root:root
	install_file "$wrapper" "$BIN" 0755
}

install_config() {
	local src=$1 tmp
	install_file "$src/deploy/sandbox-resolv.conf" "$ETC/sandbox-resolv.conf" 0644
	if [[ -f $SUDOERS && ! -L $SUDOERS ]] && cmp -s -- "$src/deploy/sudoers" "$SUDOERS" &&
		[[ $(stat -c '%a %U:%G' -- "$SUDOERS") == "440 root:root" ]]; then
		return 0
	fi
	# sudo skips files in sudoers.d whose name holds a '.', so the check copy is inert.
	tmp=$(mktemp /etc/sudoers.d/.left4me.XXXXXX)
	TMP_FILES+=("$tmp")
	cp -- "$src/deploy/sudoers" "$tmp"
	chown root:root -- "$tmp"
	chmod 0440 -- "$tmp"
	visudo -cqf "$tmp" >/dev/null || err "deploy/sudoers does not pass visudo -c; $SUDOERS left as it was"
	mv -f -- "$tmp" "$SUDOERS"
	changed "installed $SUDOERS"
}

main() {
	local src=''
	while [[ $# -gt 0 ]]; do
		case $1 in
		--source)
			[[ $# -ge 2 ]] || err "--source needs a directory"
			src=$2
			shift 2
			;;
		-h | --help)
			usage
			return 0
			;;
		*) err "unknown argument '$1' (see --help)" ;;
		esac
	done
	if [[ -z $src ]]; then
		src=$(dirname -- "$(realpath -e -- "${BASH_SOURCE[0]}")")/..
	fi
	src=$(realpath -e -- "$src" 2>/dev/null) || err "source directory not found: $src"

	check_host
	check_source "$src"
	trap cleanup EXIT

	install_state
	install_helpers "$src"
	install_units "$src"
	install_app "$src"
	install_config "$src"
	if ((UNITS_CHANGED)); then
		systemctl daemon-reload || err "systemctl daemon-reload failed"
		say "reloaded systemd units"
	fi
	say "install complete ($CHANGES changes)"
}

main "$@"
