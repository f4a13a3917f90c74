// The headless contract, on the built l4d2ctl against a temp STATE tree with stand-ins for
// sudo and systemctl: every --json output validates against its schema in source/schemas,
// every exit code is reached, and hostile input changes nothing on disk.
import {spawnSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest';
import {parse as parseYaml} from 'yaml';
import {validatorFor} from '../../../source/cli/schemas.js';
import {expectValid} from '../../support/schema.js';
import {listTree, removeTree, tempDir, writeTree} from '../support/tree.js';
import {AS_USER, BIN, ensureBuilt, FAKE_SYSTEMCTL, PROJECT, runBin, type BinRun} from '../support/cli.js';

const STEAMCMD = join(PROJECT, 'test/fixtures/steamcmd/steamcmd');
const LIBEXEC = '/usr/local/libexec/left4me';

/** Stands in for sudo: logs argv; FAKE_SUDO_MODE=password refuses like sudo -n, =busy makes left4me-overlay wipe/purge exit 4. */
const FAKE_SUDO = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_SUDO_LOG"
if [ "$FAKE_SUDO_MODE" = password ]; then echo 'sudo: a password is required' >&2; exit 1; fi
case "$3 $4" in
*left4me-overlay\\ wipe|*left4me-overlay\\ purge) if [ "$FAKE_SUDO_MODE" = busy ]; then echo "left4me-overlay: $5 is mounted; stop it first" >&2; exit 4; fi ;;
*left4me-journalctl*) if [ "$FAKE_SUDO_MODE" = many ]; then i=0; while [ $i -lt 20000 ]; do printf '{"MESSAGE":"line %s","__REALTIME_TIMESTAMP":"1732870000000000","PRIORITY":"6"}\\n' $i; i=$((i+1)); done; exit 0; fi; printf '%s\\n' '{"MESSAGE":"left4me-overlay: runtime/alpha/upper carries user.fuseoverlayfs.* xattrs; wipe it first","__REALTIME_TIMESTAMP":"1732870000000000","PRIORITY":"3","_SYSTEMD_UNIT":"left4me-server@alpha.service"}' ;;
*left4me-systemctl\\ enable) if [ "$FAKE_SUDO_MODE" = startfail ]; then echo "left4me-systemctl: systemctl --quiet enable --now left4me-server@$5.service failed: Job failed" >&2; exit 1; fi ;;
esac
exit 0
`;

// Each case runs the real binary several times; the machine is shared.
vi.setConfig({testTimeout: 90_000});


let root: string;
let state: string;
let sudoLog: string;

beforeAll(ensureBuilt, 120_000);

beforeEach(() => {
	root = tempDir('contract');
	chmodSync(root, 0o755);
	state = join(root, 'state');
	writeTree(state, {
		'installation/srcds_run': '#!/bin/sh\n',
		'overlays/maps/left4dead2/addons/c8m1.vpk': 'vpk',
		'instances/.keep': '',
		'runtime/.keep': '',
	});
	writeTree(root, {'bin/sudo': FAKE_SUDO, 'bin/systemctl': FAKE_SYSTEMCTL, 'log/sudo.log': ''});
	chmodSync(join(root, 'bin/sudo'), 0o755);
	chmodSync(join(root, 'bin/systemctl'), 0o755);
	chmodSync(join(root, 'log'), 0o777);
	chmodSync(join(root, 'log/sudo.log'), 0o666);
	sudoLog = join(root, 'log/sudo.log');
});

afterEach(() => removeTree(root));

type Run = BinRun;

function l4d2ctl(args: readonly string[], options: {asUser?: boolean; env?: Record<string, string>} = {}): Run {
	const env = {PATH: `${join(root, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, LEFT4ME_STATE_DIR: state, FAKE_SUDO_LOG: sudoLog, STANDIN_STEAMCMD_DELAY: '0', ...options.env};
	return runBin(args, {cwd: root, env, asUser: options.asUser});
}

const sudoCalls = () => readFileSync(sudoLog, 'utf8').split('\n').filter((l) => l !== '');

/** Asserts `doc` validates against schema `id` and returns it. */
function valid<T = Record<string, unknown>>(id: string, doc: unknown): T {
	return expectValid<T>(id, doc);
}

/** The one JSON error object on stderr, validated. */
function jsonError(run: Run): {code: string; message: string; hint: string | null} {
	expect(run.stderrLines).toHaveLength(1);
	return valid<{error: {code: string; message: string; hint: string | null}}>('left4me.error/1', JSON.parse(run.stderrLines[0]!)).error;
}

function seed(name: string, port: number, extra = ''): void {
	writeTree(state, {[`instances/${name}/instance.env`]: `L4D2_PORT=${port}\nL4D2_LOWERDIRS=installation\nL4D2_ARGS=""\n${extra}`, [`instances/${name}/cfg/.keep`]: ''});
}

describe('every --json output validates against its schema', () => {
	it('list, status', () => {
		seed('alpha', 27015);
		const list = l4d2ctl(['list', '--json', '--interval', '0']);
		expect(list.status).toBe(0);
		const doc = valid<{instances: Array<{name: string; port: number}>}>('left4me.list/1', JSON.parse(list.stdout));
		expect(doc.instances.map((i) => [i.name, i.port])).toEqual([['alpha', 27015]]);
		writeTree(state, {'runtime/alpha/upper/left4dead2/cfg/server.cfg': 'hostname x\n'});
		const status = l4d2ctl(['status', 'alpha', '--json', '--interval', '0']);
		expect(status.status).toBe(0);
		const s = valid<{instance: {name: string}; overlay: {mounted: boolean; upperBytes: number; upperEntries: number}}>('left4me.status/1', JSON.parse(status.stdout));
		expect(s.instance.name).toBe('alpha');
		expect(s.overlay).toMatchObject({mounted: false, upperBytes: 11, upperEntries: 3});
	});

	it('list --watch prints one list document per line', async () => {
		seed('alpha', 27015);
		const {spawn} = await import('node:child_process');
		const child = spawn(process.execPath, [BIN, 'list', '--watch', '--json', '--interval', '100'], {
			env: {...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}`, LEFT4ME_STATE_DIR: state},
		});
		let out = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		await new Promise<void>((resolve) => {
			const poll = setInterval(() => {
				if (out.split('\n').length > 3) {
					clearInterval(poll);
					resolve();
				}
			}, 50);
		});
		child.kill('SIGINT');
		const code = await new Promise((r) => child.once('close', r));
		expect(code).toBe(0);
		const lines = out.split('\n').filter(Boolean);
		expect(lines.length).toBeGreaterThanOrEqual(3);
		for (const line of lines) valid('left4me.list/1', JSON.parse(line));
	});

	it('create, initialize (new, unchanged, changed), delete (existing, absent)', () => {
		valid('left4me.action/1', JSON.parse(l4d2ctl(['create', 'alpha', '--port', '27015', '--json']).stdout));
		const spec = join(root, 'beta.yaml');
		writeFileSync(spec, 'port: 27016\nlayers: [overlays/maps]\nserverCfg: |\n  hostname "beta"\nargs: "+map c1m1_hotel"\n');
		// The input side of the contract: the spec l4d2ctl accepts validates, a wrong type does not.
		valid('left4me.instance-spec/1', parseYaml(readFileSync(spec, 'utf8')));
		expect(validatorFor('left4me.instance-spec/1')(parseYaml('port: "27015"\nlayers: overlays/maps\n'))).toBe(false);
		const created = valid<{created: boolean; changes: unknown[]}>('left4me.action/1', JSON.parse(l4d2ctl(['initialize', 'beta', '-f', spec, '--json']).stdout));
		expect(created.created).toBe(true);
		expect(readFileSync(join(state, 'instances/beta/cfg/server.cfg'), 'utf8')).toBe('hostname "beta"\n');
		expect(readFileSync(join(state, 'instances/beta/instance.env'), 'utf8')).toMatch(/L4D2_LOWERDIRS=overlays\/maps:installation/);
		const same = valid<{created: boolean; changes: unknown[]}>('left4me.action/1', JSON.parse(l4d2ctl(['initialize', 'beta', '-f', spec, '--json']).stdout));
		expect(same).toMatchObject({created: false, changes: []});
		writeFileSync(spec, 'port: 27017\nlayers: []\nserverCfg: |\n  hostname "beta"\n');
		const changed = valid<{changes: Array<{field: string; from: unknown; to: unknown}>}>('left4me.action/1', JSON.parse(l4d2ctl(['initialize', 'beta', '-f', spec, '--json']).stdout));
		expect(changed.changes).toEqual([
			{field: 'port', from: 27016, to: 27017},
			{field: 'layers', from: ['overlays/maps', 'installation'], to: ['installation']},
			{field: 'args', from: '+map c1m1_hotel', to: ''},
		]);
		const human = l4d2ctl(['initialize', 'beta', '-f', spec]);
		expect(human.stdout).toBe('beta is already as ' + spec + ' says; nothing changed\n');

		const del = l4d2ctl(['delete', 'alpha', '--yes', '--json'], {asUser: true});
		expect(del.status).toBe(0);
		expect(valid('left4me.action/1', JSON.parse(del.stdout))).toMatchObject({action: 'delete', existed: true});
		expect(sudoCalls()).toEqual([
			`-n -- ${LIBEXEC}/left4me-systemctl disable alpha`,
			`-n -- ${LIBEXEC}/left4me-overlay purge alpha`,
			`-n -- ${LIBEXEC}/left4me-systemctl reset-failed alpha`,
		]);
		const again = l4d2ctl(['delete', 'ghost', '--json'], {asUser: true});
		expect(again.status).toBe(0);
		expect(valid('left4me.action/1', JSON.parse(again.stdout))).toMatchObject({existed: false});
	});

	it('start/stop/restart/enable/disable: one name -> action/1; several -> bulk/1', () => {
		seed('alpha', 27015);
		seed('beta', 27016);
		for (const action of ['start', 'stop', 'restart', 'enable', 'disable']) {
			const one = l4d2ctl([action, 'alpha', '--json'], {asUser: true});
			expect(one.status).toBe(0);
			valid('left4me.action/1', JSON.parse(one.stdout));
			const all = l4d2ctl([action, '--all', '--json'], {asUser: true});
			expect(all.status).toBe(0);
			const bulk = valid<{results: Array<{instance: string; ok: boolean}>}>('left4me.bulk/1', JSON.parse(all.stdout));
			expect(bulk.results.map((r) => [r.instance, r.ok])).toEqual([['alpha', true], ['beta', true]]);
		}
		const verbs = sudoCalls().map((l) => l.split(' ').slice(3).join(' '));
		expect(verbs.slice(0, 3)).toEqual(['enable alpha', 'enable alpha', 'enable beta']);
		expect(verbs.filter((v) => v.startsWith('disable'))).toHaveLength(6);
	});

	it('logs --json: one left4me.log/1 record per line', () => {
		seed('alpha', 27015);
		const run = l4d2ctl(['logs', 'alpha', '--json', '-n', '5'], {asUser: true});
		expect(run.status).toBe(0);
		const records = run.stdout.trim().split('\n').map((l) => valid<{message: string; priority: number}>('left4me.log/1', JSON.parse(l)));
		expect(records.map((r) => [r.priority, r.message])).toEqual([[3, 'left4me-overlay: runtime/alpha/upper carries user.fuseoverlayfs.* xattrs; wipe it first']]);
	});

	it('logs into a reader that stops early (| head -1) ends quietly with 0, no stack trace', () => {
		seed('alpha', 27015);
		const env = {...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, LEFT4ME_STATE_DIR: state, FAKE_SUDO_LOG: sudoLog, FAKE_SUDO_MODE: 'many', BIN};
		const run = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$BIN" logs alpha -n 20000 2>"$1" | head -1', process.execPath, join(root, 'log/stderr.txt')], {cwd: root, encoding: 'utf8', env, timeout: 60_000, ...AS_USER});
		expect(run.stdout).toMatch(/ line 0$/m);
		expect(run.stdout.trim().split('\n')).toHaveLength(1);
		expect(readFileSync(join(root, 'log/stderr.txt'), 'utf8')).toBe('');
		expect(run.status).toBe(0);
	});

	it('reset --dry-run lists paths and bytes of the upper layer and changes nothing', () => {
		seed('alpha', 27015);
		writeTree(state, {'runtime/alpha/upper/left4dead2/addons/big.vpk': 'x'.repeat(5000), 'runtime/alpha/upper/srcds.log': 'log\n'});
		const before = listTree(state);
		const run = l4d2ctl(['reset', 'alpha', '--dry-run', '--json'], {asUser: true, env: {FAKE_ACTIVE: 'active'}});
		expect(run.status).toBe(0);
		const plan = valid<{entries: Array<{path: string; type: string; bytes: number}>; totalBytes: number; wouldRestart: boolean}>('left4me.reset-plan/1', JSON.parse(run.stdout));
		expect(plan.entries).toEqual([
			{path: 'left4dead2', type: 'directory', bytes: 0},
			{path: 'left4dead2/addons', type: 'directory', bytes: 0},
			{path: 'left4dead2/addons/big.vpk', type: 'file', bytes: 5000},
			{path: 'srcds.log', type: 'file', bytes: 4},
		]);
		expect(plan).toMatchObject({totalBytes: 5004, wouldRestart: true});
		expect(sudoCalls()).toEqual([]);
		expect(listTree(state)).toEqual(before);
		seed('beta', 27016);
		expect(l4d2ctl(['reset', 'beta', '--dry-run'], {asUser: true}).stdout).toMatch(/^reset beta would discard nothing: 0 B in \S+\/runtime\/beta\/upper is empty\nit is not running: it would stay stopped\n$/);
		expect(l4d2ctl(['reset', 'alpha', '--dry-run'], {asUser: true}).stdout).toMatch(/would discard 4 entries, 4\.9 KiB in .*\n[^]*\n +4\.9 KiB {2}left4dead2\/addons\/big\.vpk\n[^]*it is not running: it would stay stopped\n$/);
	});

	it('reset of a running instance: stop, wipe, start (boot setting untouched)', () => {
		seed('alpha', 27015);
		writeTree(state, {'runtime/alpha/upper/srcds.log': 'log\n'});
		const run = l4d2ctl(['reset', 'alpha', '--yes', '--json'], {asUser: true, env: {FAKE_ACTIVE: 'active'}});
		expect(run.status).toBe(0);
		expect(valid('left4me.action/1', JSON.parse(run.stdout))).toMatchObject({action: 'reset', restarted: true, discardedBytes: 4, discardedEntries: 1});
		expect(sudoCalls().map((l) => l.split(' ').slice(2).join(' '))).toEqual([
			`${LIBEXEC}/left4me-systemctl stop alpha`,
			`${LIBEXEC}/left4me-overlay wipe alpha`,
			`${LIBEXEC}/left4me-systemctl start alpha`,
		]);
	});

	it('reset of a stopped instance only wipes', () => {
		seed('alpha', 27015);
		const run = l4d2ctl(['reset', 'alpha', '--yes'], {asUser: true});
		expect(run).toMatchObject({status: 0, stdout: 'reset alpha: discarded 0 entries, 0 B (was not running; stays stopped)\n'});
		expect(sudoCalls()).toEqual([`-n -- ${LIBEXEC}/left4me-overlay wipe alpha`]);
	});

	it('reset of a failed instance wipes and clears the failed state (reset-failed), leaving it stopped', () => {
		seed('alpha', 27015);
		const run = l4d2ctl(['reset', 'alpha', '--yes', '--json'], {asUser: true, env: {FAKE_ACTIVE: 'failed'}});
		expect(run.status).toBe(0);
		expect(valid('left4me.action/1', JSON.parse(run.stdout))).toMatchObject({restarted: false});
		expect(sudoCalls().map((l) => l.split(' ').slice(3).join(' '))).toEqual(['wipe alpha', 'reset-failed alpha']);
	});

	it('install --json: NDJSON progress events, then a result; a failure midway exits 1', () => {
		const run = l4d2ctl(['install', '--steamcmd', STEAMCMD, '--json']);
		expect(run.status).toBe(0);
		const events = run.stdout.trim().split('\n').map((l) => valid<{type: string; percent?: number; ok?: boolean}>('left4me.install/1', JSON.parse(l)));
		expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThanOrEqual(10);
		expect(events.at(-1)).toMatchObject({type: 'result', ok: true});
		expect(existsSync(join(state, 'installation/steamapps/appmanifest_222860.acf'))).toBe(true);

		const fail = l4d2ctl(['install', '--steamcmd', STEAMCMD, '--validate', '--json'], {env: {STANDIN_STEAMCMD_FAIL_AT: '50'}});
		expect(fail.status).toBe(1);
		const failEvents = fail.stdout.trim().split('\n').map((l) => valid<{type: string; percent?: number; ok?: boolean; message?: string}>('left4me.install/1', JSON.parse(l)));
		expect(Math.max(...failEvents.filter((e) => e.type === 'progress').map((e) => e.percent ?? 0))).toBeLessThan(50);
		expect(failEvents.at(-1)).toMatchObject({type: 'result', ok: false, message: "Error! App '222860' state is 0x202 after update job."});
		expect(jsonError(fail).code).toBe('failed');
	});

	it('install without a terminal prints plain progress lines on stderr, no escape codes', () => {
		const run = l4d2ctl(['install', '--steamcmd', STEAMCMD]);
		expect(run.status).toBe(0);
		expect(run.stdout).toBe(`installed app 222860 in ${state}/installation\n`);
		expect(run.stderrLines[0]).toBe('downloading 0.0% (0 B / 953.7 MiB)');
		expect(run.stdout + run.stderr).not.toMatch(/\u001b/);
	});

	const script = spawnSync('script', ['--version']).status === 0;
	if (!script) console.warn('script(1) from util-linux is missing: the progress bar on a terminal is not checked');
	it.skipIf(!script)('install on a terminal redraws one progress bar line (script(1) gives it a pty)', () => {
		const r = spawnSync('script', ['-qec', `${process.execPath} ${BIN} install --steamcmd ${STEAMCMD}`, '/dev/null'], {
			encoding: 'utf8',
			env: {...process.env, LEFT4ME_STATE_DIR: state, STANDIN_STEAMCMD_DELAY: '0'},
			timeout: 30_000,
		});
		expect(r.status).toBe(0);
		const frames = r.stdout.split('\r').filter((f) => f.startsWith('['));
		expect(frames[0]).toBe('[------------------------------]   0.0%  0 B / 953.7 MiB  downloading\u001b[K');
		expect(frames.some((f) => f.startsWith('[##############################] 100.0%  953.7 MiB / 953.7 MiB  committing'))).toBe(true);
		expect(r.stdout).toContain(`installed app 222860 in ${state}/installation`);
	});

	it.skipIf(!script)('on a terminal, delete asks first: "n" cancels (exit 2, nothing changed), "y" deletes', () => {
		seed('alpha', 27015);
		const before = listTree(state);
		const ask = (answer: string) =>
			spawnSync('script', ['-qec', `${process.execPath} ${BIN} delete alpha`, '/dev/null'], {
				encoding: 'utf8',
				input: answer,
				env: {...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}`, LEFT4ME_STATE_DIR: state, FAKE_SUDO_LOG: sudoLog},
				timeout: 30_000,
				...AS_USER,
			});
		const no = ask('n\n');
		expect(no.stdout).toContain('delete alpha (its settings, cfg and upper layer)? [y/N] ');
		expect(no.stdout).toContain('l4d2ctl: cancelled');
		expect(no.status).toBe(2);
		expect(sudoCalls()).toEqual([]);
		expect(listTree(state)).toEqual(before);
		const yes = ask('y\n');
		expect(yes.status).toBe(0);
		expect(yes.stdout).toContain('deleted alpha');
		expect(sudoCalls().map((l) => l.split(' ').slice(3).join(' '))).toEqual(['disable alpha', 'purge alpha', 'reset-failed alpha']);
	});

	it('completion and --version', () => {
		valid('left4me.completion/1', JSON.parse(l4d2ctl(['completion', 'bash', '--json']).stdout));
		valid('left4me.completion/1', JSON.parse(l4d2ctl(['completion', 'zsh', '--json']).stdout));
		const pkg = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as {version: string};
		expect(valid('left4me.version/1', JSON.parse(l4d2ctl(['--version', '--json']).stdout))).toEqual({schema: 'left4me.version/1', version: pkg.version});
	});
});

describe('exit codes, each with its JSON error', () => {
	it('2 usage: bad name, unknown option, destructive command without --yes on a non-terminal', () => {
		seed('alpha', 27015);
		const before = listTree(state);
		expect(l4d2ctl(['status', 'Bad', '--json']).status).toBe(2);
		expect(jsonError(l4d2ctl(['list', '--bogus', '--json'])).code).toBe('usage');
		const del = l4d2ctl(['delete', 'alpha', '--json'], {asUser: true});
		expect(del.status).toBe(2);
		expect(jsonError(del)).toMatchObject({code: 'usage', hint: 'pass --yes, e.g. l4d2ctl delete alpha --yes'});
		const reset = l4d2ctl(['reset', 'alpha'], {asUser: true});
		expect(reset.status).toBe(2);
		expect(reset.stderrLines).toEqual(['l4d2ctl: refusing to reset alpha (discard the upper layer) without confirmation: stdin is not a terminal (hint: pass --yes, e.g. l4d2ctl reset alpha --yes)']);
		expect(jsonError(l4d2ctl(['start', '--json'])).message).toBe('name at least one instance, or use --all');
		expect(sudoCalls()).toEqual([]);
		expect(listTree(state)).toEqual(before);
	});

	it('3 not found', () => {
		const run = l4d2ctl(['reset', 'ghost', '--yes', '--json'], {asUser: true});
		expect(run.status).toBe(3);
		expect(jsonError(run).code).toBe('not_found');
		expect(l4d2ctl(['status', 'ghost']).status).toBe(3);
	});

	it('4 permission: the sudo rule is missing', () => {
		seed('alpha', 27015);
		const run = l4d2ctl(['reset', 'alpha', '--yes', '--json'], {asUser: true, env: {FAKE_SUDO_MODE: 'password'}});
		expect(run.status).toBe(4);
		expect(jsonError(run).hint).toContain(`%left4me ALL=(root) NOPASSWD: ${LIBEXEC}/left4me-overlay`);
	});

	it('1 failed: a start that fails names the helper line from the journal', () => {
		seed('alpha', 27015);
		const run = l4d2ctl(['start', 'alpha'], {asUser: true, env: {FAKE_SUDO_MODE: 'startfail'}});
		expect(run.status).toBe(1);
		expect(run.stderrLines).toEqual(['l4d2ctl: alpha did not start: left4me-overlay: runtime/alpha/upper carries user.fuseoverlayfs.* xattrs; wipe it first (hint: see l4d2ctl logs alpha)']);
	});

	it('5 partial: one of several failed; the bulk document says which', () => {
		seed('alpha', 27015);
		const run = l4d2ctl(['stop', 'alpha', 'ghost', '--json'], {asUser: true});
		expect(run.status).toBe(5);
		const bulk = valid<{ok: boolean; results: Array<{instance: string; ok: boolean; error: {code: string} | null}>}>('left4me.bulk/1', JSON.parse(run.stdout));
		expect(bulk.ok).toBe(false);
		expect(bulk.results.map((r) => [r.instance, r.ok, r.error?.code ?? null])).toEqual([['alpha', true, null], ['ghost', false, 'not_found']]);
		expect(jsonError(run)).toMatchObject({code: 'partial', message: '1 of 2 instances failed: ghost'});
		const human = l4d2ctl(['stop', 'alpha', 'ghost'], {asUser: true});
		expect(human.stdout.split('\n')[1]).toMatch(/^failed ghost: no instance named "ghost"/);
		expect(human.stderrLines).toEqual(['l4d2ctl: 1 of 2 instances failed: ghost (hint: each failure is on its line above)']);
	});

	it('6 conflict: reset while the overlay is busy discards nothing and starts it again', () => {
		seed('alpha', 27015);
		const run = l4d2ctl(['reset', 'alpha', '--yes', '--json'], {asUser: true, env: {FAKE_SUDO_MODE: 'busy', FAKE_ACTIVE: 'active'}});
		expect(run.status).toBe(6);
		expect(jsonError(run).message).toBe('cannot reset alpha: its overlay is busy (runtime/alpha/merged is still mounted after the stop); nothing was discarded');
		expect(sudoCalls().map((l) => l.split(' ').slice(3).join(' '))).toEqual(['stop alpha', 'wipe alpha', 'start alpha']);
	});
});

describe('hostile input: its own error, nothing changed on disk', () => {
	const cases: Array<{what: string; setup?: () => void; args: string[]; status: number; line: RegExp}> = [
		{what: 'an invalid instance name', args: ['create', '../x', '--port', '27020'], status: 2, line: /invalid instance name/},
		{what: 'a path-traversal layer', args: ['create', 'gamma', '--port', '27020', '--layer', '../../etc'], status: 2, line: /invalid layer: layer "..\/..\/etc" is outside/},
		{
			what: 'a symlinked layer pointing outside the allowlist',
			setup: () => symlinkSync('/etc', join(state, 'overlays/evil')),
			args: ['create', 'gamma', '--port', '27020', '--layer', 'overlays/evil'],
			status: 2,
			line: /invalid layer: "overlays\/evil" resolves to \/etc, outside the allowed roots/,
		},
		{what: 'a duplicate port', setup: () => seed('alpha', 27015), args: ['create', 'gamma', '--port', '27015'], status: 6, line: /port 27015 is already used by instance "alpha"/},
		{what: 'a duplicate name', setup: () => seed('gamma', 27015), args: ['create', 'gamma', '--port', '27020'], status: 6, line: /instance "gamma" already exists/},
		{
			what: 'an instance.env with garbage lines',
			setup: () => seed('alpha', 27015, 'this is not a setting\n'),
			args: ['start', 'alpha'],
			status: 1,
			line: /instance\.env: line 4: not a KEY=VALUE line/,
		},
		{
			what: 'a missing instance.env',
			setup: () => mkdirSync(join(state, 'instances/alpha/cfg'), {recursive: true}),
			args: ['reset', 'alpha', '--yes'],
			status: 1,
			line: /instance "alpha" is broken: .*instance\.env is missing/,
		},
		{
			what: 'a spec with a wrong type',
			setup: () => writeFileSync(join(root, 'bad.yaml'), 'port: "27015"\nlayers: overlays/maps\n'),
			args: ['initialize', 'gamma', '-f', '../bad.yaml'],
			status: 2,
			line: /bad\.yaml: \/port must be integer; \/layers must be array/,
		},
		{
			what: 'a spec with an unknown key',
			setup: () => writeFileSync(join(root, 'bad.yaml'), 'port: 27020\noverlays: [overlays/maps]\n'),
			args: ['initialize', 'gamma', '-f', '../bad.yaml'],
			status: 2,
			line: /bad\.yaml: \/ must NOT have additional properties \("overlays"\) \(hint: keys: port \(required\), layers \(top first\), serverCfg, args\)$/,
		},
		{
			what: 'a spec with a layer outside the allowlist',
			setup: () => writeFileSync(join(root, 'bad.yaml'), 'port: 27020\nlayers: [../../etc]\n'),
			args: ['initialize', 'gamma', '-f', '../bad.yaml'],
			status: 2,
			line: /invalid layer: layer "..\/..\/etc" is outside/,
		},
		{
			what: 'a spec that is no YAML',
			setup: () => writeFileSync(join(root, 'bad.yaml'), 'port: [27015\n'),
			args: ['initialize', 'gamma', '-f', '../bad.yaml'],
			status: 2,
			line: /bad\.yaml: not valid YAML/,
		},
	];
	it.each(cases)('$what', ({setup, args, status, line}) => {
		setup?.();
		const before = listTree(state);
		const run = l4d2ctl(args.map((a) => a.replace('../bad.yaml', join(root, 'bad.yaml'))), {asUser: true});
		expect(run.status).toBe(status);
		expect(run.stdout).toBe('');
		expect(run.stderrLines).toHaveLength(1);
		expect(run.stderrLines[0]).toMatch(line);
		expect(sudoCalls()).toEqual([]);
		expect(listTree(state)).toEqual(before);
	});
});

describe('no ANSI escape codes when stdout is not a terminal', () => {
	it.each([[['--help']], [['help', 'reset']], [['list', '--interval', '0']], [['completion', 'bash']], [['status', 'alpha', '--interval', '0']]])('%j', (args) => {
		seed('alpha', 27015);
		const run = l4d2ctl(args);
		expect(run.status).toBe(0);
		expect(run.stdout.length).toBeGreaterThan(0);
		expect(run.stdout + run.stderr).not.toMatch(/\u001b/);
	});

	it('every command has --help with examples', () => {
		for (const command of ['list', 'status', 'create', 'initialize', 'delete', 'logs', 'start', 'stop', 'restart', 'enable', 'disable', 'reset', 'install', 'completion']) {
			const run = l4d2ctl([command, '--help']);
			expect(run.status, command).toBe(0);
			expect(run.stdout, command).toMatch(/\nExamples:\n {2}\$ (sudo -u left4me )?l4d2ctl /);
			expect(run.stdout, command).toMatch(/--json/);
		}
	});
});

describe('bash completion', () => {
	/** Runs the generated completion function for the words typed so far and returns COMPREPLY. */
	function complete(words: string[]): string[] {
		const script = l4d2ctl(['completion', 'bash']).stdout;
		writeFileSync(join(root, 'completion.bash'), script);
		const quoted = words.map((w) => `'${w}'`).join(' ');
		const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `source "$1"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _l4d2ctl; printf '%s\\n' "\${COMPREPLY[@]}"`, 'x', join(root, 'completion.bash')], {
			encoding: 'utf8',
			env: {PATH: process.env.PATH ?? '/usr/bin:/bin', LEFT4ME_STATE_DIR: state},
		});
		expect(r.stderr).toBe('');
		return r.stdout.split('\n').filter(Boolean).sort();
	}

	it('completes commands, instance names and overlay layers from disk, and options', () => {
		seed('alpha', 27015);
		seed('beta', 27016);
		expect(complete(['l4d2ctl', 're'])).toEqual(['reset', 'restart']);
		expect(complete(['l4d2ctl', 'reset', ''])).toEqual(['alpha', 'beta']);
		expect(complete(['l4d2ctl', 'status', 'b'])).toEqual(['beta']);
		expect(complete(['l4d2ctl', 'create', 'x', '--layer', ''])).toEqual(['overlays/maps']);
		expect(complete(['l4d2ctl', 'reset', '--d'])).toEqual(['--dry-run']);
		expect(complete(['l4d2ctl', 'list', ''])).toEqual([]);
	});

	const zsh = spawnSync('zsh', ['--version']).status === 0;
	if (!zsh) console.warn('zsh is not installed: the zsh completion script is only checked for its #compdef line and command list');
	it('the zsh script is a #compdef function (parsed by zsh -n where zsh is installed)', () => {
		const script = l4d2ctl(['completion', 'zsh']).stdout;
		expect(script.split('\n')[0]).toBe('#compdef l4d2ctl');
		expect(script).toContain("'reset:stop, discard the overlay upper layer (and work dir), start again if it was running'");
		if (!zsh) return;
		expect(spawnSync('zsh', ['-n'], {input: script}).status).toBe(0);
		seed('alpha', 27015);
		seed('beta', 27016);
		// compadd and _describe stubbed to print what they are given (zsh itself filters by prefix).
		const body = script.slice(0, script.lastIndexOf('_l4d2ctl "$@"'));
		const probe = (words: string[], prefix = '') =>
			spawnSync('zsh', ['-f', '-c', `compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }\n_describe() { print -l -- "\${(@P)4}"; }\n${body}\nwords=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; PREFIX='${prefix}'; _l4d2ctl`], {
				encoding: 'utf8',
				env: {PATH: process.env.PATH ?? '/usr/bin:/bin', LEFT4ME_STATE_DIR: state},
			}).stdout.split('\n').filter(Boolean);
		expect(probe(['l4d2ctl', 'reset', ''])).toEqual(['alpha', 'beta']);
		expect(probe(['l4d2ctl', 'create', 'x', '--layer', ''])).toEqual(['overlays/maps']);
		expect(probe(['l4d2ctl', 'list', '--w'], '--w')).toContain('--watch');
		expect(probe(['l4d2ctl', 're'], 're')).toContain('reset:stop, discard the overlay upper layer (and work dir), start again if it was running');
	});
});

