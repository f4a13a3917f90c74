/**
 * A 100-instance host in a temporary directory, for the benchmarks: a state tree
 * (instances/NAME/instance.env), a cgroupfs-shaped tree (cpu.stat, optionally
 * memory.current, cgroup.procs), a `systemctl` stand-in on PATH that answers
 * `show` for the requested units, and stand-in helpers in a private libexec.
 */
import {chmodSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export const COUNT = 100;
/** Game port of the first fixture server (the others follow): away from srcds' 27015, so a demo on this host does not collide. */
export const FIRST_PORT = 47000;

/** `srv00` … `srv99`. */
export const names = (count = COUNT) => Array.from({length: count}, (_, i) => `srv${String(i).padStart(2, '0')}`);

function write(file, text, mode) {
	mkdirSync(join(file, '..'), {recursive: true});
	writeFileSync(file, text);
	if (mode) chmodSync(file, mode);
}

/**
 * Builds the tree.
 * @param {{memoryCurrent?: boolean, journal?: 'idle' | 'flood'}} options
 * @returns {{root: string, state: string, cgroupRoot: string, libexec: string, bin: string, names: string[]}}
 */
export function buildFixture(options = {}) {
	const root = mkdtempSync(join(tmpdir(), 'left4me-bench-'));
	const state = join(root, 'state');
	const cgroupRoot = join(root, 'cgroup');
	const libexec = join(root, 'libexec');
	const bin = join(root, 'bin');
	const all = names();
	const game = join(cgroupRoot, 'l4d2.slice/l4d2-game.slice');
	write(join(game, 'cpu.stat'), 'usage_usec 1000\nuser_usec 900\nsystem_usec 100\n');
	write(join(cgroupRoot, 'l4d2.slice/l4d2-build.slice/cpu.stat'), 'usage_usec 0\n');
	// Every cgroup directory has cgroup.procs; the slices hold no process themselves.
	write(join(game, 'cgroup.procs'), '');
	write(join(cgroupRoot, 'l4d2.slice/l4d2-build.slice/cgroup.procs'), '');
	// A unit has memory.current only if its slice has it too (cgroup-v2.rst, "Top-down Constraint").
	if (options.memoryCurrent !== false) {
		write(join(game, 'memory.current'), `${100 * 400_000_000}\n`);
		write(join(cgroupRoot, 'l4d2.slice/l4d2-build.slice/memory.current'), '0\n');
	}
	all.forEach((name, i) => {
		write(join(state, 'instances', name, 'instance.env'), `L4D2_PORT=${FIRST_PORT + i}\nL4D2_LOWERDIRS=installation\nL4D2_ARGS=\n`);
		const dir = join(game, `left4me-server@${name}.service`);
		write(join(dir, 'cpu.stat'), `usage_usec ${1_000_000 + i * 1000}\nuser_usec ${900_000}\nsystem_usec 100000\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n`);
		// The benchmark's own PID stands in for the server process (the RSS fallback reads /proc/PID/statm).
		write(join(dir, 'cgroup.procs'), `${process.pid}\n`);
		if (options.memoryCurrent !== false) write(join(dir, 'memory.current'), `${400_000_000 + i}\n`);
	});
	write(
		join(bin, 'systemctl'),
		`#!/bin/sh
# Stand-in for systemctl show: every unit active since an hour ago.
now=$(date +%s)
for u in "$@"; do
	case "$u" in
	show|--*|-p*) continue ;;
	esac
	printf 'Id=%s\\nLoadState=loaded\\nActiveState=active\\nSubState=running\\nResult=success\\nUnitFileState=enabled\\nNRestarts=0\\nMainPID=%s\\nExecMainStatus=0\\nActiveEnterTimestamp=@%s\\nControlGroup=/l4d2.slice/l4d2-game.slice/%s\\n\\n' "$u" "$$" "$((now - 3600))" "$u"
done
`,
		0o755,
	);
	const generator = options.journal === 'flood' ? 'flood' : 'idle';
	write(join(libexec, 'left4me-journalctl'), `#!/bin/sh\nexec node ${JSON.stringify(new URL('./journal-source.js', import.meta.url).pathname)} ${generator}\n`, 0o755);
	return {root, state, cgroupRoot, libexec, bin, names: all};
}
