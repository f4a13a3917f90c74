// left4me-script-sandbox in --dry-run against a fixture STATE tree: valid input prints the
// exact mount and systemd-run commands; hostile input exits 2/3/4 with one stderr line and
// changes nothing.
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {afterAll, beforeEach, describe, expect, it} from 'vitest';

const HELPER = resolve(import.meta.dirname, '../../helpers/left4me-script-sandbox');
const OWNER = `${process.getuid?.()}:${process.getgid?.()}`;
const temps: string[] = [];
afterAll(() => {
	for (const dir of temps) rmSync(dir, {recursive: true, force: true});
});

type Result = {status: number | null; stdout: string; stderr: string};

describe('left4me-script-sandbox', () => {
	let base: string;
	let state: string;
	let runDir: string;
	beforeEach(() => {
		base = mkdtempSync(join(tmpdir(), 'left4me-sandbox-'));
		temps.push(base);
		state = join(base, 'state');
		runDir = join(base, 'run');
		for (const d of ['overlays/maps', 'overlay-scripts', 'builds']) mkdirSync(join(state, d), {recursive: true});
		writeFileSync(join(state, 'overlay-scripts/maps.sh'), 'echo hi\n');
	});
	const run = (args: string[], env: Record<string, string> = {}): Result => {
		const r = spawnSync(HELPER, args, {encoding: 'utf8', env: {PATH: '/usr/bin:/bin', ...env}});
		return {status: r.status, stdout: r.stdout, stderr: r.stderr};
	};
	const dry = (...args: string[]) =>
		run(['--dry-run', ...args], {LEFT4ME_TEST_STATE_DIR: state, LEFT4ME_TEST_RUN_DIR: runDir, LEFT4ME_TEST_OWNER_ID: OWNER, LEFT4ME_TEST_SANDBOX_ID: '995:994'});
	const refused = (r: Result, status: number, message: RegExp) => {
		expect(r.status).toBe(status);
		expect(r.stdout).toBe('');
		const lines = r.stderr.split('\n').filter(Boolean);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^left4me-script-sandbox: /);
		expect(lines[0]).toMatch(message);
		expect(existsSync(runDir)).toBe(false);
	};

	it('build binds the overlay through an idmapped staging bind (users and groups) and starts the hardened unit', () => {
		const r = dry('build', 'maps');
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		const lines = r.stdout.trimEnd().split('\n');
		const [uid, gid] = OWNER.split(':');
		expect(lines.slice(0, 5)).toEqual([
			`mkdir -p -m 0700 -- ${runDir}/maps`,
			`setpriv --reuid=left4me --regid=left4me --init-groups --reset-env -- cat -- ${state}/overlay-scripts/maps.sh`,
			`# > ${runDir}/maps/script.sh`,
			`mkdir -p -m 0700 -- ${runDir}/maps/staging`,
			`mount --bind --map-users=${uid}:995:1 --map-groups=${gid}:994:1 -- ${state}/overlays/maps ${runDir}/maps/staging`,
		]);
		const unit = lines[5]!;
		expect(unit).toMatch(/^systemd-run --no-block --collect --quiet --unit=left4me-build-maps\.service --slice=l4d2-build\.slice /);
		for (const property of [
			'User=l4d2-sandbox', 'Group=l4d2-sandbox', 'UMask=0022', 'OOMScoreAdjust=500', 'RuntimeMaxSec=3600', 'NoNewPrivileges=yes',
			'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'ProtectKernelTunables=yes', 'ProtectKernelModules=yes',
			'ProtectKernelLogs=yes', 'ProtectControlGroups=yes', 'RestrictNamespaces=yes', 'RestrictAddressFamilies=AF_INET\\ AF_INET6\\ AF_UNIX',
			'RestrictSUIDSGID=yes', 'LockPersonality=yes', 'MemoryDenyWriteExecute=yes', 'SystemCallFilter=@system-service',
			'CapabilityBoundingSet=', 'TemporaryFileSystem=/etc:ro\\ /var/lib:ro', 'BindReadOnlyPaths=/etc/left4me/sandbox-resolv.conf:/etc/resolv.conf',
			`BindPaths=${runDir}/maps/staging:/overlay`, `BindReadOnlyPaths=${runDir}/maps/script.sh:/build/script.sh`,
		]) expect(unit).toContain(` -p ${property} `);
		expect(unit).toMatch(/ -p MemoryMax=\S+ /);
		expect(unit).toMatch(/ -p CPUQuota=\S+ /);
		const deny = / -p IPAddressDeny=((?:\\ |\S)+) /.exec(unit)?.[1]?.split('\\ ') ?? [];
		for (const net of ['127.0.0.0/8', '::1/128', '169.254.0.0/16', 'fe80::/10', '224.0.0.0/4', 'ff00::/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7']) {
			expect(deny).toContain(net);
		}
		// On systemd 257 an IPAddressAllow= next to the deny list wins over it.
		expect(unit).not.toContain('IPAddressAllow');
		expect(unit).toContain('ExecStopPost=+/usr/bin/nsenter\\ --mount=/proc/1/ns/mnt\\ --\\ /usr/local/libexec/left4me/left4me-script-sandbox\\ finish\\ maps\\ ');
		expect(unit).toMatch(/ -- \/bin\/bash \/build\/script\.sh$/);
		expect(unit).toContain(`LEFT4ME_SCRIPT_SHA256=${createHash('sha256').update('echo hi\n').digest('hex')} `);
	});

	it('--max-runtime shortens RuntimeMaxSec= within 1..3600 and nothing else', () => {
		expect(dry('build', 'maps', '--max-runtime', '5').stdout).toContain(' -p RuntimeMaxSec=5 ');
		expect(dry('build', 'maps', '--max-runtime', '3600').stdout).toContain(' -p RuntimeMaxSec=3600 ');
		for (const bad of ['0', '3601', '-1', '5s', '', '1e3', '99999']) refused(dry('build', 'maps', '--max-runtime', bad), 2, /--max-runtime wants whole seconds from 1 to 3600/);
		refused(dry('build', 'maps', '--max-runtime'), 2, /usage/);
		refused(dry('build', 'maps', '--other', '5'), 2, /usage/);
	});

	it('a missing overlay dir is created as left4me', () => {
		rmSync(join(state, 'overlays/maps'), {recursive: true});
		const r = dry('build', 'maps');
		expect(r.status).toBe(0);
		expect(r.stdout).toContain(`setpriv --reuid=left4me --regid=left4me --init-groups --reset-env -- mkdir -m 0755 -- ${state}/overlays/maps\n`);
	});

	it('refuses hostile names, verbs and layouts with one line', () => {
		for (const name of ['../x', 'A', 'a'.repeat(33), 'a;b', '-a', 'a b', 'a/b']) refused(dry('build', name), 2, /invalid overlay name/);
		refused(dry('explode', 'maps'), 2, /unknown verb/);
		refused(dry('build'), 2, /usage/);
		refused(dry('cancel', 'maps', 'extra'), 2, /usage/);
		refused(dry('finish', 'maps', 'success', 'exited', '0'), 2, /usage/);
		refused(dry('build', 'nope'), 3, /no build script overlay-scripts\/nope\.sh/);
		symlinkSync('/etc/passwd', join(state, 'overlay-scripts/link.sh'));
		refused(dry('build', 'link'), 4, /resolves outside overlay-scripts/);
		mkdirSync(join(state, 'overlay-scripts/dir.sh'));
		refused(dry('build', 'dir'), 4, /not a regular file/);
		writeFileSync(join(state, 'overlay-scripts/other.sh'), 'true\n');
		symlinkSync('/etc', join(state, 'overlays/other'));
		refused(dry('build', 'other'), 4, /overlays\/other is a symlink/);
		writeFileSync(join(state, 'overlay-scripts/owned.sh'), 'true\n');
		mkdirSync(join(state, 'overlays/owned'));
		const r = run(['--dry-run', 'build', 'owned'], {LEFT4ME_TEST_STATE_DIR: state, LEFT4ME_TEST_RUN_DIR: runDir, LEFT4ME_TEST_OWNER_ID: '12345:12345', LEFT4ME_TEST_SANDBOX_ID: '995:994'});
		refused(r, 4, /overlays\/owned is not a directory owned by left4me/);
	});

	it('cancel of an overlay that is not building exits 3', () => {
		refused(dry('cancel', 'maps'), 3, /overlay maps is not building/);
	});

	it('outside --dry-run the test variables change nothing: validation first, then the root check', () => {
		chmodSync(join(state, 'overlay-scripts/maps.sh'), 0o644);
		const env = {LEFT4ME_TEST_STATE_DIR: state, LEFT4ME_TEST_RUN_DIR: runDir};
		expect(run(['build', '../x'], env).stderr).toMatch(/invalid overlay name/);
		if (process.getuid?.() !== 0) {
			const r = run(['build', 'maps'], env);
			expect(r.status).toBe(2);
			expect(r.stderr).toMatch(/must run as root/);
		}
		expect(existsSync(runDir)).toBe(false);
	});
});
