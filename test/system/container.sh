#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# container.sh — boot a real systemd in a throwaway systemd-nspawn container
# for left4me's system tests and demo.
#
# Usage:
#   container.sh deps
#       Install systemd-container and mmdebstrap when missing (as root).
#   container.sh rootfs
#       Build (once, cached) a Debian trixie rootfs tarball; print its path.
#   container.sh boot NAME [--bind-ro HOSTDIR:CONTAINERDIR]...
#       Extract a fresh copy of the rootfs onto its own tmpfs, boot it, wait
#       until systemd is up (running or degraded).
#   container.sh exec NAME [--user USER] [--tty] -- CMD...
#       Run CMD inside (root by default); stdio passes through; CMD's exit
#       status is returned.
#   container.sh down NAME
#       Power the container off and remove every trace of it. Idempotent.
#   container.sh status NAME
#       Print KEY=VALUE lines (state, nspawn_pid, pid1, cgroup, root, log).
#
# Environment:
#   LEFT4ME_TEST_CACHE   cache dir for the rootfs tarball
#                        (default /var/cache/left4me-test)
#   LEFT4ME_TEST_BOOT_TIMEOUT   seconds to wait for boot (default 90)
#   LEFT4ME_TEST_ROOT_SIZE      size cap of the container's tmpfs root (4G)
#
# Needs root, systemd-nspawn (systemd-container), mmdebstrap (for `rootfs`),
# nsenter and setpriv (util-linux), and a cgroup2 mount.
set -euo pipefail

readonly PROG=container.sh
readonly CACHE_DIR="${LEFT4ME_TEST_CACHE:-/var/cache/left4me-test}"
readonly RUN_DIR=/run/left4me-test
readonly WORK_DIR=/var/tmp/left4me-test
readonly BOOT_TIMEOUT="${LEFT4ME_TEST_BOOT_TIMEOUT:-90}"
readonly DOWN_TIMEOUT=20
readonly ROOT_SIZE="${LEFT4ME_TEST_ROOT_SIZE:-4G}"
readonly SUITE=trixie
readonly PACKAGES=systemd,systemd-sysv,dbus,sudo,util-linux,iproute2,nodejs,libbpf1,procps,attr,passwd
readonly INNER_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
readonly NAME_RE='^[a-z0-9][a-z0-9-]{0,47}$'

# The Debian mirror this host's apt already uses (deb822 .sources or one-line
# sources.list), so the rootfs comes from where the host's packages come from.
# LEFT4ME_TEST_MIRROR overrides it.
host_mirror() {
	if [[ -n ${LEFT4ME_TEST_MIRROR-} ]]; then
		printf '%s\n' "$LEFT4ME_TEST_MIRROR"
		return
	fi
	local uri
	uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }')
	if [[ -z $uri ]]; then
		uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\/.*\/debian\/?$/) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null || true)
	fi
	[[ -n $uri ]] || err "no Debian mirror found in /etc/apt; set LEFT4ME_TEST_MIRROR"
	printf '%s\n' "${uri%/}"
}

# shellcheck source=test/system/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root() {
	[[ $EUID -eq 0 ]] || err "must run as root"
}

# Prints the header comment (from "Usage:" on); exits with $1 (default 2).
usage() {
	sed -n '/^# Usage:/,/^set /{/^set /d;s/^# \{0,1\}//;p;}' "$0" >&2
	exit "${1:-2}"
}

# Runs inside mmdebstrap's customize hook; $1 is the rootfs directory.
# Its text is part of the cache key, so editing it rebuilds the rootfs.
customize_rootfs() {
	local root="$1" unit
	: >"$root/etc/machine-id"
	rm -f "$root/var/lib/dbus/machine-id" "$root/etc/hostname"
	mkdir -p "$root/etc/systemd/system.conf.d"
	printf '[Manager]\nDefaultCPUAccounting=yes\nDefaultMemoryAccounting=yes\n' \
		>"$root/etc/systemd/system.conf.d/50-left4me-test.conf"
	for unit in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
		e2scrub_all.timer fstrim.timer man-db.timer console-getty.service \
		getty.target systemd-firstboot.service systemd-timesyncd.service; do
		ln -sf /dev/null "$root/etc/systemd/system/$unit"
	done
	rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
}

rootfs_key() {
	{
		printf '%s\n' "$SUITE" "$PACKAGES"
		declare -f customize_rootfs build_rootfs
	} | sha256sum | cut -c1-16
}

rootfs_path() {
	printf '%s/rootfs-%s-%s.tar\n' "$CACHE_DIR" "$SUITE" "$(rootfs_key)"
}

# Builds the tarball at $1 with mmdebstrap (its text is part of the cache key).
build_rootfs() {
	local out="$1" tmp="$CACHE_DIR/.partial-$$.tar" mirror
	mirror=$(host_mirror)
	# shellcheck disable=SC2016 # $1 is expanded by mmdebstrap's hook shell
	mmdebstrap --quiet --format=tar --variant=minbase --include="$PACKAGES" \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--customize-hook="$(declare -f customize_rootfs); customize_rootfs \"\$1\"" \
		"$SUITE" "$tmp" "$mirror" >&2 || {
		rm -rf "$tmp"
		err "mmdebstrap failed"
	}
	mv -f "$tmp" "$out"
}

# Debian packages the harness needs on the host: systemd-nspawn and mmdebstrap.
readonly HOST_PACKAGES=(systemd-container mmdebstrap)

# Installs the host packages when they are missing (root only). Without root it
# only says what is missing, so the system tests can skip with that reason.
cmd_deps() {
	command -v systemd-nspawn >/dev/null 2>&1 && command -v mmdebstrap >/dev/null 2>&1 && return 0
	if [[ $EUID -ne 0 ]]; then
		say "not root: cannot install ${HOST_PACKAGES[*]} (system tests and the demo need them)"
		return 0
	fi
	need_cmd apt-get
	say "installing ${HOST_PACKAGES[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${HOST_PACKAGES[@]}" >&2 </dev/null || {
		DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 </dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${HOST_PACKAGES[@]}" >&2 </dev/null
	} || err "could not install ${HOST_PACKAGES[*]}"
}

cmd_rootfs() {
	need_root
	[[ $# -eq 0 ]] || usage
	local out
	out="$(rootfs_path)"
	if [[ ! -f $out ]]; then
		need_cmd mmdebstrap
		mkdir -p "$CACHE_DIR"
		say "building $SUITE rootfs (once; about a minute) -> $out"
		build_rootfs "$out"
		find "$CACHE_DIR" -maxdepth 1 -name "rootfs-$SUITE-*.tar" ! -path "$out" -delete
	fi
	printf '%s\n' "$out"
}

# Prints the cgroup2 mount point (/sys/fs/cgroup on a unified host,
# /sys/fs/cgroup/unified on a hybrid one).
cgroup2_mount() {
	local mnt
	mnt="$(findmnt -n -t cgroup2 -o TARGET | head -n1)"
	[[ -n $mnt ]] || err "no cgroup2 mount found"
	printf '%s\n' "$mnt"
}

# Prints the cgroup dir the container for $1 lives in: a child of this
# process's own cgroup2 cgroup, so nspawn's payload/ and supervisor/ stay in
# one subtree we can kill and remove.
cgroup_dir_for() {
	local mnt own
	mnt="$(cgroup2_mount)"
	own="$(sed -n 's/^0:://p' /proc/self/cgroup)"
	own="${own%/}"
	printf '%s%s/left4me-test-%s\n' "$mnt" "$own" "$1"
}

check_name() {
	[[ $1 =~ $NAME_RE ]] || {
		say "invalid container name: '$1' (want $NAME_RE)"
		exit 2
	}
}

# Reads state file $2 of container $1 (empty when absent).
state_get() {
	local f="$RUN_DIR/$1/$2"
	if [[ -f $f ]]; then cat "$f"; fi
}

# True while process $1 exists and is not a zombie.
is_alive() {
	local stat
	stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
	stat="${stat##*) }"
	[[ ${stat%% *} != Z ]]
}

# True while $1 is the launcher of container $2 (checked by its cgroup, so a
# recycled PID never matches).
is_launcher() {
	[[ -n $1 ]] && grep -qs "/left4me-test-$2\(/.*\)\{0,1\}\$" "/proc/$1/cgroup"
}

# Prints the host PID of the container's PID 1: the child of nspawn whose
# last NSpid is 1. Prints nothing when not there (yet).
find_pid1() {
	local nspawn_pid="$1" child nspid
	local -a children=()
	read -r -a children < <(cat /proc/"$nspawn_pid"/task/*/children 2>/dev/null | tr '\n' ' ' || true)
	for child in "${children[@]}"; do
		nspid="$(sed -n 's/^NSpid:.*[[:space:]]//p' "/proc/$child/status" 2>/dev/null)"
		if [[ $nspid == 1 ]]; then
			printf '%s\n' "$child"
			return 0
		fi
	done
}

log_tail() {
	[[ -f $1 ]] || return 0
	say "last lines of $1:"
	tail -n 25 "$1" >&2
}

# Waits until systemd inside is running/degraded; exits on failure.
wait_ready() {
	local name="$1" nspawn_pid="$2" log="$3" pid1="" exe="" state=""
	local deadline=$((SECONDS + BOOT_TIMEOUT))
	while ((SECONDS < deadline)); do
		is_alive "$nspawn_pid" || {
			log_tail "$log"
			err "$name: systemd-nspawn exited during boot"
		}
		[[ -n $pid1 ]] || pid1="$(find_pid1 "$nspawn_pid")"
		[[ -z $pid1 ]] || exe="$(readlink "/proc/$pid1/exe" 2>/dev/null || true)"
		if [[ $exe == */systemd ]]; then
			printf '%s\n' "$pid1" >"$RUN_DIR/$name/pid1"
			state="$(timeout $((deadline - SECONDS + 1)) \
				nsenter -t "$pid1" -a -- systemctl is-system-running --wait 2>/dev/null || true)"
			case "$state" in
			running | degraded) return 0 ;;
			maintenance | stopping)
				log_tail "$log"
				err "$name: systemd is '$state'"
				;;
			esac
		fi
		sleep 0.05
	done
	log_tail "$log"
	err "$name: not running after ${BOOT_TIMEOUT}s (last state: '${state:-none}')"
}

cmd_boot() {
	need_root
	[[ $# -ge 1 ]] || usage
	local name="$1" bind host cont
	local -a nspawn_args=()
	shift
	check_name "$name"
	while [[ $# -gt 0 ]]; do
		case "$1" in
		--bind-ro) [[ $# -ge 2 ]] || usage; bind="$2"; shift 2 ;;
		--bind-ro=*) bind="${1#--bind-ro=}"; shift ;;
		*) say "unknown boot option: $1"; usage ;;
		esac
		host="${bind%%:*}"
		cont="${bind#*:}"
		[[ $bind == *:* && -d $host && $cont == /* ]] ||
			err "--bind-ro wants EXISTING_HOST_DIR:/container/dir, got '$bind'"
		nspawn_args+=("--bind-ro=$(realpath "$host"):$cont")
	done
	need_cmd systemd-nspawn
	need_cmd nsenter
	need_cmd setsid
	need_cmd findmnt

	# Held until boot ends, so a concurrent `down` can stop us first.
	mkdir -p "$RUN_DIR"
	exec 9>"$RUN_DIR/.$name.lock"
	flock -n 9 || err "$name: another boot or down of it is running"
	HOLDS_LOCK=1
	if [[ -d $RUN_DIR/$name || -d $WORK_DIR/$name ]]; then
		say "$name: removing a previous container of that name"
		cmd_down "$name"
	fi

	local tar root state log cgdir
	tar="$(cmd_rootfs)"
	root="$WORK_DIR/$name/root"
	state="$RUN_DIR/$name"
	log="$WORK_DIR/$name.nspawn.log"
	cgdir="$(cgroup_dir_for "$name")"
	mkdir -p "$WORK_DIR/$name" "$state"
	printf '%s\n' "$$" >"$state/boot.pid"
	printf '%s\n' "$root" >"$state/root"
	printf '%s\n' "$cgdir" >"$state/cgroup"
	printf '%s\n' "$log" >"$state/log"
	# From here on a failure leaves nothing behind.
	trap 'cmd_down "$name" || true' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	# A tmpfs per container: extracting there takes ~0.3 s (several seconds
	# on disk) and `down` drops it at once. Overlayfs works on tmpfs.
	mount -t tmpfs -o mode=0755,size="$ROOT_SIZE" "left4me-test-$name" "$WORK_DIR/$name"
	mkdir "$root"
	tar --numeric-owner --xattrs --xattrs-include='*' -xf "$tar" -C "$root"
	printf '%s\n' "$name" >"$root/etc/hostname"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
		"$name" >"$root/etc/hosts"

	[[ ! -d $cgdir ]] || rmdir "$cgdir"
	mkdir "$cgdir"
	(
		exec 9>&- # the container must not hold the boot lock
		echo "$BASHPID" >"$cgdir/cgroup.procs"
		SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 exec setsid systemd-nspawn \
			-D "$root" -M "$name" --register=no --keep-unit \
			--console=read-only --system-call-filter=bpf --private-network \
			"${nspawn_args[@]}" --boot
	) </dev/null >"$log" 2>&1 &
	printf '%s\n' "$!" >"$state/nspawn.pid"

	wait_ready "$name" "$!" "$log"
	rm -f "$state/boot.pid"
	trap - EXIT INT TERM
}

cmd_exec() {
	need_root
	[[ $# -ge 1 ]] || usage
	local name="$1" user="" tty=0 pid1 cgdir ent uid gid home
	shift
	check_name "$name"
	while [[ $# -gt 0 ]]; do
		case "$1" in
		--user) [[ $# -ge 2 ]] || usage; user="$2"; shift 2 ;;
		--user=*) user="${1#--user=}"; shift ;;
		--tty) tty=1; shift ;;
		--) shift; break ;;
		*) say "unknown exec option: $1"; usage ;;
		esac
	done
	[[ $# -ge 1 ]] || usage
	pid1="$(state_get "$name" pid1)"
	[[ -n $pid1 && -d /proc/$pid1 ]] || err "$name: not running (boot it first)"

	local -a env=(env -i "PATH=$INNER_PATH") priv=()
	if [[ -n $user && $user != root ]]; then
		ent="$(nsenter -t "$pid1" -a -- getent passwd "$user")" ||
			err "$name: no user '$user' inside"
		IFS=: read -r _ _ uid gid _ home _ <<<"$ent"
		env+=("HOME=$home" "USER=$user" "LOGNAME=$user")
		priv=(setpriv "--reuid=$uid" "--regid=$gid" --init-groups --)
	else
		env+=(HOME=/root USER=root LOGNAME=root)
	fi
	if [[ $tty -eq 1 && -n ${TERM:-} ]]; then env+=("TERM=$TERM"); fi
	if [[ -n ${NO_COLOR+set} ]]; then env+=("NO_COLOR=$NO_COLOR"); fi

	# Run in a sibling of nspawn's payload/ so `down` also ends strays.
	cgdir="$(state_get "$name" cgroup)"
	if [[ -d $cgdir ]]; then
		mkdir -p "$cgdir/exec"
		echo "$$" >"$cgdir/exec/cgroup.procs"
	fi
	exec nsenter -t "$pid1" -a -- "${env[@]}" "${priv[@]}" "$@"
}

# Waits up to $2 seconds for cgroup $1 to be empty; returns 1 on timeout.
wait_cgroup_empty() {
	local deadline=$((SECONDS + $2))
	while grep -q '^populated 1' "$1/cgroup.events" 2>/dev/null; do
		((SECONDS < deadline)) || return 1
		sleep 0.05
	done
}

# Takes container $1's lock; when a boot of it holds the lock, ends that boot
# first (its own cleanup runs) and then takes the lock.
stop_boot() {
	local name="$1" boot_pid
	mkdir -p "$RUN_DIR"
	exec 9>"$RUN_DIR/.$name.lock"
	if ! flock -n 9; then
		boot_pid="$(state_get "$name" boot.pid)"
		if [[ -n $boot_pid ]] && is_alive "$boot_pid"; then
			say "$name: stopping its boot (pid $boot_pid)"
			pkill -TERM -P "$boot_pid" || true
			kill -TERM "$boot_pid" 2>/dev/null || true
		fi
		flock -w 60 9 || err "$name: boot does not let go of $RUN_DIR/.$name.lock"
	fi
	HOLDS_LOCK=1
}

cmd_down() {
	need_root
	[[ $# -eq 1 ]] || usage
	local name="$1" nspawn_pid cgdir dir deadline
	check_name "$name"
	[[ -n ${HOLDS_LOCK:-} ]] || stop_boot "$name"
	nspawn_pid="$(state_get "$name" nspawn.pid)"
	cgdir="$(state_get "$name" cgroup)"
	[[ -n $cgdir ]] || cgdir="$(cgroup_dir_for "$name")"

	# SIGTERM makes nspawn power the container off cleanly.
	if is_launcher "$nspawn_pid" "$name"; then
		kill -TERM "$nspawn_pid" 2>/dev/null || true
		deadline=$((SECONDS + DOWN_TIMEOUT))
		while is_launcher "$nspawn_pid" "$name" && ((SECONDS < deadline)); do
			sleep 0.05
		done
	fi
	# Backstop: a container stopped during early boot can keep running.
	if [[ -d $cgdir ]]; then
		if ! wait_cgroup_empty "$cgdir" 0; then
			say "$name: killing what is left in $cgdir"
			echo 1 >"$cgdir/cgroup.kill"
			wait_cgroup_empty "$cgdir" 10 || err "$name: $cgdir does not empty"
		fi
		find "$cgdir" -depth -type d -exec rmdir {} +
	fi
	rm -rf --one-file-system "/run/systemd/nspawn/propagate/$name"

	dir="$WORK_DIR/$name"
	if [[ -d $dir ]]; then
		if awk -v d="$dir/" 'index($5, d) == 1 { found = 1 } END { exit !found }' \
			/proc/self/mountinfo; then
			err "$name: something is still mounted under $dir/; not removing it"
		fi
		if awk -v d="$dir" '$5 == d { found = 1 } END { exit !found }' /proc/self/mountinfo; then
			umount "$dir"
		fi
		rm -rf --one-file-system "$dir"
	fi
	rm -rf "${RUN_DIR:?}/$name"
}

cmd_status() {
	[[ $# -eq 1 ]] || usage
	local name="$1" nspawn_pid pid1 state=stopped
	check_name "$name"
	nspawn_pid="$(state_get "$name" nspawn.pid)"
	pid1="$(state_get "$name" pid1)"
	if is_launcher "$nspawn_pid" "$name"; then state=running; fi
	printf 'name=%s\nstate=%s\nnspawn_pid=%s\npid1=%s\ncgroup=%s\nroot=%s\nlog=%s\n' \
		"$name" "$state" "$nspawn_pid" "$pid1" "$(state_get "$name" cgroup)" \
		"$(state_get "$name" root)" "$(state_get "$name" log)"
}

main() {
	[[ $# -ge 1 ]] || usage
	local cmd="$1"
	shift
	case "$cmd" in
	deps) cmd_deps "$@" ;;
	rootfs) cmd_rootfs "$@" ;;
	boot) cmd_boot "$@" ;;
	exec) cmd_exec "$@" ;;
	down) cmd_down "$@" ;;
	status) cmd_status "$@" ;;
	-h | --help | help) usage 0 ;;
	*) say "unknown command: $cmd" && usage ;;
	esac
}

main "$@"
