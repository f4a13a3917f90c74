// The privileged helpers, run for real in --dry-run mode against a fixture STATE tree:
// valid input prints the exact commands; hostile input exits 2/3/4 with one stderr
// line and changes nothing.
import {spawnSync} from 'node:child_process';
import {
	mkdirSync, mkdtempSync, readdirSync, lstatSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {afterAll, beforeEach, describe, expect, it} from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const HELPERS = join(ROOT, 'helpers');
const SHELL_SCRIPTS = [
	...readdirSync(HELPERS).filter((f) => f.startsWith('left4me-')).map((f) => join(HELPERS, f)),
	join(ROOT, 'deploy/install.sh'),
	...readdirSync(join(ROOT, 'test/system')).filter((f) => f.endsWith('.sh')).map((f) => join(ROOT, 'test/system', f)),
	join(ROOT, 'screenshots/capture.sh'),
	join(ROOT, '.ci/run'),
];

type Result = {status: number | null; stdout: string; stderr: string};

function run(helper: string, args: string[], env: Record<string, string> = {}): Result {
	const result = spawnSync(join(HELPERS, helper), args, {
		encoding: 'utf8',
		env: {PATH: '/usr/bin:/bin', ...env},
	});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

/** Every path below dir with its type, size and mtime: proof that nothing changed. */
function snapshot(dir: string): string[] {
	const out: string[] = [];
	const walk = (path: string) => {
		const st = lstatSync(path);
		out.push(`${path} ${st.mode} ${st.size} ${st.mtimeMs}`);
		if (st.isDirectory()) for (const entry of readdirSync(path).sort()) walk(join(path, entry));
	};
	walk(dir);
	return out;
}

const temps: string[] = [];
afterAll(() => {
	for (const dir of temps) rmSync(dir, {recursive: true, force: true});
});

/** A STATE tree like install.sh + `l4d2ctl create a` leave it, plus the runtime dirs. */
function makeState(prefix = 'left4me-state-'): string {
	const state = mkdtempSync(join(tmpdir(), prefix));
	temps.push(state);
	for (const dir of [
		'installation/left4dead2/cfg', 'overlays/maps', 'overlay-scripts', 'global_overlay_cache',
		'workshop_cache/123', 'instances/a/cfg', 'runtime/a/upper', 'runtime/a/work', 'runtime/a/merged',
	]) mkdirSync(join(state, dir), {recursive: true});
	writeFileSync(join(state, 'installation/srcds_run'), '#!/bin/sh\n');
	writeFileSync(join(state, 'instances/a/cfg/server.cfg'), 'hostname "a"\n');
	writeEnv(state, 'L4D2_PORT=27015\nL4D2_LOWERDIRS=overlays/maps:installation\nL4D2_ARGS=+map c1m1_hotel\n');
	return state;
}

function writeEnv(state: string, text: string) {
	writeFileSync(join(state, 'instances/a/instance.env'), text);
}

function expectRefused(result: Result, helper: string, status: number) {
	expect(result.status).toBe(status);
	expect(result.stdout).toBe('');
	const lines = result.stderr.split('\n').filter((line) => line !== '');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(new RegExp(`^${helper}: `));
}

const BAD_NAMES = ['../x', 'A', '', 'a'.repeat(33), 'a;b', '-a', 'a b', 'a/b'];

describe('left4me-systemctl', () => {
	let state: string;
	beforeEach(() => {
		state = makeState();
	});
	const dry = (...args: string[]) => run('left4me-systemctl', ['--dry-run', ...args], {LEFT4ME_TEST_STATE_DIR: state});

	it.each([
		['enable', 'systemctl --quiet enable --now left4me-server@a.service'],
		['disable', 'systemctl --quiet disable --now left4me-server@a.service'],
		['restart', 'systemctl --quiet restart left4me-server@a.service'],
		['reset-failed', 'systemctl --quiet reset-failed left4me-server@a.service'],
	])('%s prints the systemctl command', (verb, expected) => {
		const result = dry(verb, 'a');
		expect(result).toEqual({status: 0, stdout: `${expected}\n`, stderr: ''});
	});

	it('accepts a 32-character name with _ and -', () => {
		const name = `a_-${'b'.repeat(29)}`;
		expect(dry('disable', name).stdout).toBe(`systemctl --quiet disable --now left4me-server@${name}.service\n`);
	});

	it.each(BAD_NAMES)('refuses the name %j with exit 2', (name) => {
		const before = snapshot(state);
		expectRefused(dry('enable', name), 'left4me-systemctl', 2);
		expect(snapshot(state)).toEqual(before);
	});

	it.each(['start', 'stop', 'kill', 'mask', 'ENABLE', '--now'])('refuses the verb %j with exit 2', (verb) => {
		expectRefused(dry(verb, 'a'), 'left4me-systemctl', 2);
	});

	it.each([[[]], [['enable']], [['enable', 'a', 'b']]])('refuses the argument list %j with exit 2', (args) => {
		expectRefused(dry(...args), 'left4me-systemctl', 2);
	});

	it('exits 3 when enabling an instance that does not exist, but still disables it', () => {
		expectRefused(dry('enable', 'ghost'), 'left4me-systemctl', 3);
		expect(dry('disable', 'ghost').status).toBe(0);
	});

	it('validates before anything else outside --dry-run too', () => {
		expectRefused(run('left4me-systemctl', ['enable', '../x']), 'left4me-systemctl', 2);
	});
});

describe('left4me-journalctl', () => {
	const dry = (...args: string[]) => run('left4me-journalctl', ['--dry-run', ...args]);
	const base = '--output=json --no-pager';

	it.each([
		[['a'], `journalctl --unit=left4me-server@a.service ${base}`],
		[['a', '--lines', '0', '--follow'], `journalctl --unit=left4me-server@a.service ${base} --lines=0 --follow`],
		[['a', '--follow', '--lines', '100000'], `journalctl --unit=left4me-server@a.service ${base} --lines=100000 --follow`],
		[['build:maps', '--lines', '050'], `journalctl --unit=left4me-build-maps.service ${base} --lines=50`],
		[['a', '--after-cursor', 's=1a2b;i=3c;b=4d;m=5e;t=6f;x=70'],
			`journalctl --unit=left4me-server@a.service ${base} --after-cursor=s=1a2b\\;i=3c\\;b=4d\\;m=5e\\;t=6f\\;x=70`],
		[['a', '--since', '2024-05-01 10:00:00'], `journalctl --unit=left4me-server@a.service ${base} --since=2024-05-01\\ 10:00:00`],
		[['a', '--since', '@1714550400'], `journalctl --unit=left4me-server@a.service ${base} --since=@1714550400`],
	])('%j prints the journalctl command', (args, expected) => {
		expect(dry(...args)).toEqual({status: 0, stdout: `${expected}\n`, stderr: ''});
	});

	it.each([
		...BAD_NAMES.map((name) => [[name]]),
		[['build:']], [['build:../x']], [['build:A']], [['build:a/b']], [['build:a:b']],
		[['a', '--lines', '-1']], [['a', '--lines', 'abc']], [['a', '--lines', '100001']], [['a', '--lines', '1e3']],
		[['a', '--lines']], [['a', '--lines', '5', '--lines', '6']], [['a', '--follow', '--follow']],
		[['a', '--after-cursor', 's=1a;i=2b --output=cat']], [['a', '--after-cursor', 'S=1A']],
		[['a', '--after-cursor', '']], [['a', '--after-cursor', 's=1a;;i=2']], [['a', '--after-cursor']],
		[['a', '--since', 'yesterday']], [['a', '--since', '2024-05-01T10:00']],
		[['a', '--output=cat']], [['a', '-f']], [['a', '--lines=5']], [['a', 'extra']], [[]],
	])('refuses %j with exit 2', (args) => {
		expectRefused(dry(...args), 'left4me-journalctl', 2);
	});
});

describe('left4me-overlay', () => {
	let state: string;
	beforeEach(() => {
		state = makeState();
	});
	const dry = (args: string[], env: Record<string, string> = {}) =>
		run('left4me-overlay', ['--dry-run', ...args], {LEFT4ME_TEST_STATE_DIR: state, ...env});
	const asOwner = 'setpriv --reuid=left4me --regid=left4me --init-groups --reset-env --';

	/** Replace each /proc/self/fd/N by the directory the "# /proc/self/fd/N = DIR" lines name. */
	function resolveFds(stdout: string): string[] {
		const lines = stdout.trimEnd().split('\n');
		const fds = new Map<string, string>();
		for (const line of lines) {
			const match = /^# (\/proc\/self\/fd\/\d+) = (.+)$/.exec(line);
			if (match) fds.set(match[1], match[2]);
		}
		return lines
			.filter((line) => !line.startsWith('# '))
			.map((line) => line.replace(/\/proc\/self\/fd\/\d+/g, (fd) => fds.get(fd) ?? `UNMAPPED(${fd})`));
	}

	function expectMount(result: Result, layers: string[]) {
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		const s = state;
		expect(result.stdout).toMatch(
			/^env LIBMOUNT_FORCE_MOUNT2=always mount -c -t overlay left4me-a -o nosuid,nodev,lowerdir=\/proc\/self\/fd\/\d+(:\/proc\/self\/fd\/\d+)*,upperdir=\/proc\/self\/fd\/\d+,workdir=\/proc\/self\/fd\/\d+ \/proc\/self\/fd\/\d+$/m,
		);
		expect(resolveFds(result.stdout)).toEqual([
			`${asOwner} mkdir -p -- ${s}/runtime/a/upper ${s}/runtime/a/work ${s}/runtime/a/merged`,
			`env LIBMOUNT_FORCE_MOUNT2=always mount -c -t overlay left4me-a -o nosuid,nodev,lowerdir=${layers.join(':')},upperdir=${s}/runtime/a/upper,workdir=${s}/runtime/a/work ${s}/runtime/a/merged`,
			`${asOwner} mkdir -p -- ${s}/runtime/a/merged/left4dead2/cfg`,
			`${asOwner} cp -R -- ${s}/instances/a/cfg/. ${s}/runtime/a/merged/left4dead2/cfg/`,
		]);
	}

	it('mount prints mkdir, the overlay mount and the cfg copy, layers top first', () => {
		expectMount(dry(['mount', 'a']), [`${state}/overlays/maps`, `${state}/installation`]);
	});

	it('mount defaults to the installation layer alone, quoted values and comments allowed', () => {
		writeEnv(state, '# written by l4d2ctl\nL4D2_PORT=27015\n\nL4D2_ARGS="+map c1m1_hotel +sv_lan 1"\n');
		expectMount(dry(['mount', 'a']), [`${state}/installation`]);
		writeEnv(state, 'L4D2_LOWERDIRS="workshop_cache/123:installation"\n');
		expectMount(dry(['mount', 'a']), [`${state}/workshop_cache/123`, `${state}/installation`]);
	});

	it('mount accepts absolute layers and symlinks that resolve inside the allowlist', () => {
		symlinkSync('maps', join(state, 'overlays/alias'));
		writeEnv(state, `L4D2_LOWERDIRS=overlays/alias:${state}/installation\n`);
		expectMount(dry(['mount', 'a']), [`${state}/overlays/maps`, `${state}/installation`]);
	});

	it('mount without a cfg dir copies nothing', () => {
		rmSync(join(state, 'instances/a/cfg'), {recursive: true});
		const lines = resolveFds(dry(['mount', 'a']).stdout);
		expect(lines).toHaveLength(2);
		expect(lines[1]).toMatch(/^env LIBMOUNT_FORCE_MOUNT2=always mount -c -t overlay /);
	});

	it('mount of an already mounted overlay only copies cfg again', () => {
		const mountinfo = join(state, 'mountinfo');
		writeFileSync(mountinfo, `36 25 0:32 / ${state}/runtime/a/merged rw,nosuid,nodev - overlay left4me-a rw,lowerdir=x\n`);
		expect(dry(['mount', 'a'], {LEFT4ME_TEST_MOUNTINFO: mountinfo}).stdout).toBe(
			`${asOwner} mkdir -p -- ${state}/runtime/a/merged/left4dead2/cfg\n` +
			`${asOwner} cp -R -- ${state}/instances/a/cfg/. ${state}/runtime/a/merged/left4dead2/cfg/\n`,
		);
	});

	type Hostile = [string, (s: string) => void, number];
	const hostile: Hostile[] = [
		['a lowerdir ../../etc', (s) => writeEnv(s, 'L4D2_LOWERDIRS=../../etc\n'), 4],
		['an absolute lowerdir outside STATE', (s) => writeEnv(s, 'L4D2_LOWERDIRS=/etc\n'), 4],
		['a lowerdir that climbs out of overlays/', (s) => writeEnv(s, 'L4D2_LOWERDIRS=overlays/../instances/a\n'), 4],
		['a layer root itself', (s) => writeEnv(s, 'L4D2_LOWERDIRS=overlays\n'), 4],
		['a symlinked layer pointing outside the allowlist', (s) => {
			symlinkSync('/etc', join(s, 'overlays/evil'));
			writeEnv(s, 'L4D2_LOWERDIRS=overlays/evil:installation\n');
		}, 4],
		['a lowerdir with a comma', (s) => writeEnv(s, 'L4D2_LOWERDIRS=overlays/maps,upperdir=/etc\n'), 2],
		['a lowerdir with a backslash', (s) => writeEnv(s, 'L4D2_LOWERDIRS=overlays/maps\\054x\n'), 2],
		['a lowerdir with a space', (s) => writeEnv(s, 'L4D2_LOWERDIRS=overlays/maps installation\n'), 2],
		['an empty layer', (s) => writeEnv(s, 'L4D2_LOWERDIRS=overlays/maps::installation\n'), 2],
		['a trailing colon', (s) => writeEnv(s, 'L4D2_LOWERDIRS=installation:\n'), 2],
		['a garbage line in instance.env', (s) => writeEnv(s, 'L4D2_PORT=27015\nrm -rf /\n'), 2],
		['a line continuation in instance.env', (s) => writeEnv(s, 'L4D2_ARGS=+map x \\\nL4D2_LOWERDIRS=installation\n'), 2],
		['a control character in instance.env', (s) => writeEnv(s, 'L4D2_LOWERDIRS=installation\r\n'), 2],
		['L4D2_LOWERDIRS set twice', (s) => writeEnv(s, 'L4D2_LOWERDIRS=installation\nL4D2_LOWERDIRS=overlays/maps\n'), 2],
		['a missing layer', (s) => writeEnv(s, 'L4D2_LOWERDIRS=overlays/nope:installation\n'), 3],
		['a missing instance.env', (s) => rmSync(join(s, 'instances/a/instance.env')), 3],
		['a missing instance', (s) => rmSync(join(s, 'instances/a'), {recursive: true}), 3],
		['a symlinked instance.env', (s) => {
			rmSync(join(s, 'instances/a/instance.env'));
			symlinkSync('/etc/hostname', join(s, 'instances/a/instance.env'));
		}, 4],
		['a symlinked upper dir', (s) => {
			rmSync(join(s, 'runtime/a/upper'), {recursive: true});
			symlinkSync('/etc', join(s, 'runtime/a/upper'));
		}, 4],
	];

	it.each(hostile)('mount refuses %s with exit %s and touches nothing', (_what, setup, status) => {
		setup(state);
		const before = snapshot(state);
		expectRefused(dry(['mount', 'a']), 'left4me-overlay', status);
		expect(snapshot(state)).toEqual(before);
	});

	it.each(BAD_NAMES)('refuses the name %j with exit 2', (name) => {
		expectRefused(dry(['mount', name]), 'left4me-overlay', 2);
	});

	it.each([[['remount', 'a']], [['MOUNT', 'a']], [['mount']], [['mount', 'a', 'b']], [[]]])(
		'refuses %j with exit 2', (args) => {
			expectRefused(dry(args), 'left4me-overlay', 2);
		},
	);

	it('umount of an overlay that is not mounted does nothing', () => {
		expect(dry(['umount', 'a'])).toEqual({status: 0, stdout: '', stderr: ''});
	});

	describe('with a mountinfo that has the overlay (path with a space, octal-escaped)', () => {
		let spaced: string;
		let mountinfo: string;
		beforeEach(() => {
			spaced = makeState('left4me state ');
			mountinfo = join(spaced, 'mountinfo');
			const escaped = `${spaced}/runtime/a/merged`.replaceAll(' ', '\\040');
			writeFileSync(mountinfo, [
				'22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
				`36 22 0:32 / ${escaped} rw,nosuid,nodev shared:9 - overlay left4me-a rw,lowerdir=x`,
				'',
			].join('\n'));
		});
		const dryIn = (args: string[]) =>
			run('left4me-overlay', ['--dry-run', ...args], {LEFT4ME_TEST_STATE_DIR: spaced, LEFT4ME_TEST_MOUNTINFO: mountinfo});

		it('umount unmounts merged from inside runtime/NAME', () => {
			expect(dryIn(['umount', 'a'])).toEqual({
				status: 0, stdout: `# in ${spaced}/runtime/a\numount -c -- merged\n`, stderr: '',
			});
		});

		it('wipe is refused with exit 4 while mounted', () => {
			const before = snapshot(spaced);
			expectRefused(dryIn(['wipe', 'a']), 'left4me-overlay', 4);
			expect(snapshot(spaced)).toEqual(before);
		});

		it('umount refuses a mount that is not an overlay', () => {
			writeFileSync(mountinfo, `36 22 0:32 / ${`${spaced}/runtime/a/merged`.replaceAll(' ', '\\040')} rw - tmpfs tmpfs rw\n`);
			expectRefused(dryIn(['umount', 'a']), 'left4me-overlay', 4);
			expectRefused(dryIn(['mount', 'a']), 'left4me-overlay', 4);
		});
	});

	it('wipe deletes the contents of upper and work, never following symlinks', () => {
		expect(dry(['wipe', 'a'])).toEqual({
			status: 0,
			stdout: `# in ${state}/runtime/a\nfind -P upper work -xdev -mindepth 1 -delete\n`,
			stderr: '',
		});
	});

	it('wipe of an instance that never ran does nothing', () => {
		rmSync(join(state, 'runtime/a'), {recursive: true});
		expect(dry(['wipe', 'a'])).toEqual({status: 0, stdout: '', stderr: ''});
	});

	const setfattr = spawnSync('setfattr', ['--version']).status === 0;
	it.skipIf(!setfattr)('mount refuses an upper dir carrying user.fuseoverlayfs.* xattrs (needs setfattr from attr)', () => {
		mkdirSync(join(state, 'runtime/a/upper/left4dead2'));
		const tagged = spawnSync('setfattr', ['-n', 'user.fuseoverlayfs.origin', '-v', 'x', join(state, 'runtime/a/upper/left4dead2')]);
		if (tagged.status !== 0) {
			// A temp dir on a filesystem without user xattrs: the check cannot be exercised here.
			expect(String(tagged.stderr)).toMatch(/not supported/i);
			return;
		}
		expectRefused(dry(['mount', 'a']), 'left4me-overlay', 4);
	});

	it('ignores LEFT4ME_TEST_STATE_DIR outside --dry-run (validation still comes first)', () => {
		expectRefused(run('left4me-overlay', ['mount', '../x'], {LEFT4ME_TEST_STATE_DIR: state}), 'left4me-overlay', 2);
	});
});

describe('shell scripts', () => {
	const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;
	it.skipIf(!shellcheck)(`shellcheck passes on ${SHELL_SCRIPTS.length} scripts (skipped when shellcheck is not installed)`, () => {
		const result = spawnSync('shellcheck', ['--shell=bash', '--external-sources', ...SHELL_SCRIPTS], {encoding: 'utf8'});
		expect(result.stdout + result.stderr).toBe('');
		expect(result.status).toBe(0);
	});
});
