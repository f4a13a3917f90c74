import {chmodSync, existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {parseInstanceConfig} from '../../../source/core/instance-env.js';
import {fixture} from '../support/fixtures.js';
import {listTree, removeTree, tempDir, writeTree} from '../support/tree.js';
import {ensureBuilt, PROJECT, runBin, type BinRun} from '../support/cli.js';

const SYSTEMCTL_HELPER = '/usr/local/libexec/left4me/left4me-systemctl';
const JOURNAL_HELPER = '/usr/local/libexec/left4me/left4me-journalctl';

/** Stands in for sudo: logs its argv, prints the journal fixture for the journal helper, or refuses like sudo -n does. */
const FAKE_SUDO = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_SUDO_LOG"
if [ "$FAKE_SUDO_MODE" = password ]; then echo 'sudo: a password is required' >&2; exit 1; fi
case "$3" in *left4me-journalctl) cat "$FAKE_JOURNAL" ;; esac
exit 0
`;


let root: string;
let state: string;
let sudoLog: string;

beforeAll(ensureBuilt, 120_000);

beforeEach(() => {
	root = tempDir('cli');
	chmodSync(root, 0o755);
	state = join(root, 'state');
	writeTree(state, {
		'installation/srcds_run': '#!/bin/sh\n',
		'installation/left4dead2/cfg/server.cfg': '',
		'overlays/maps/left4dead2/addons/c8m1.vpk': '',
		'bin/sudo': FAKE_SUDO,
		'journal.ndjson': fixture('journal/alpha.ndjson'),
		'log/sudo.log': '',
	});
	writeTree(state, {'instances/.keep': ''});
	chmodSync(join(state, 'bin/sudo'), 0o755);
	chmodSync(join(state, 'log'), 0o777);
	chmodSync(join(state, 'log/sudo.log'), 0o666);
	sudoLog = join(state, 'log/sudo.log');
});

afterEach(() => removeTree(root));

function l4d2ctl(args: readonly string[], options: {asUser?: boolean; env?: Record<string, string>} = {}): BinRun {
	const env = {PATH: `${join(state, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, LEFT4ME_STATE_DIR: state, FAKE_SUDO_LOG: sudoLog, FAKE_JOURNAL: join(state, 'journal.ndjson'), ...options.env};
	return runBin(args, {cwd: root, env, asUser: options.asUser});
}

const sudoCalls = () => readFileSync(sudoLog, 'utf8').split('\n').filter((l) => l !== '');

/** An instance as `create` would write it, but world-readable so an unprivileged run can read it. */
function seedInstance(name: string, port: number): void {
	writeTree(state, {[`instances/${name}/instance.env`]: `L4D2_PORT=${port}\nL4D2_LOWERDIRS=installation\nL4D2_ARGS=""\n`});
}

describe('l4d2ctl create', () => {
	it('writes instance.env and cfg/ and says how to start it', () => {
		const run = l4d2ctl(['create', 'alpha', '--port', '27015', '--layer', 'overlays/maps', '--args', '+map c8m1_apartment']);
		expect(run).toMatchObject({status: 0, stderr: ''});
		expect(run.stdout).toBe('created alpha (port 27015, layers overlays/maps > installation); start it with: l4d2ctl start alpha\n');
		const dir = join(state, 'instances/alpha');
		expect(parseInstanceConfig(readFileSync(join(dir, 'instance.env'), 'utf8'))).toEqual({
			port: 27015,
			lowerdirs: ['overlays/maps', 'installation'],
			args: '+map c8m1_apartment',
		});
		expect(statSync(join(dir, 'cfg')).isDirectory()).toBe(true);
		expect(readdirSync(join(dir, 'cfg'))).toEqual([]);
	});

	it('prints one action document with --json', () => {
		const run = l4d2ctl(['create', 'beta', '--port', '27016', '--json']);
		expect(run.status).toBe(0);
		expect(JSON.parse(run.stdout)).toEqual({schema: 'left4me.action/1', action: 'create', instance: 'beta', unit: 'left4me-server@beta.service', ok: true});
	});

	it('refuses a bad name with exit 2 and ONE stderr line, changing nothing', () => {
		const before = listTree(state);
		const run = l4d2ctl(['create', 'Bad.Name', '--port', '27015']);
		expect(run.status).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderrLines).toEqual(['l4d2ctl: invalid instance name: "Bad.Name" may use only a-z, 0-9, "_" and "-", and must start with a letter or digit']);
		expect(listTree(state)).toEqual(before);
	});

	it('refuses a duplicate with exit 6', () => {
		expect(l4d2ctl(['create', 'alpha', '--port', '27015']).status).toBe(0);
		const run = l4d2ctl(['create', 'alpha', '--port', '27016']);
		expect(run.status).toBe(6);
		expect(run.stderrLines).toEqual(['l4d2ctl: instance "alpha" already exists']);
	});

	it('refuses a port another instance uses with exit 6', () => {
		seedInstance('alpha', 27015);
		const run = l4d2ctl(['create', 'beta', '--port', '27015']);
		expect(run.status).toBe(6);
		expect(run.stderrLines).toEqual(['l4d2ctl: port 27015 is already used by instance "alpha"']);
	});

	it.each([
		[['--port', 'abc'], 'l4d2ctl: --port must be a whole number 1024-65535 (got "abc")'],
		[['--port', '80'], 'l4d2ctl: --port must be a whole number 1024-65535 (got "80")'],
		[['--port', '99999'], 'l4d2ctl: --port must be a whole number 1024-65535 (got "99999")'],
		[['--port', '27015', '--layer', '../../etc'], /^l4d2ctl: invalid layer: layer "..\/..\/etc" is outside /],
	])('refuses %j with exit 2', (args, line) => {
		const run = l4d2ctl(['create', 'gamma', ...args]);
		expect(run.status).toBe(2);
		expect(run.stderrLines).toHaveLength(1);
		expect(run.stderrLines[0]).toMatch(line);
		expect(existsSync(join(state, 'instances/gamma'))).toBe(false);
	});
});

describe('--json errors', () => {
	it.each([
		{args: ['create', 'Bad.Name', '--port', '27015', '--json'], code: 'usage', status: 2},
		{args: ['create', 'alpha', '--port', '27015', '--json'], code: 'conflict', status: 6, seed: true},
		{args: ['start', 'ghost', '--json'], code: 'not_found', status: 3},
		{args: ['logs', 'ghost', '--json'], code: 'not_found', status: 3},
		{args: ['create', 'alpha', '--json'], code: 'usage', status: 2},
	])('$args -> one JSON object with error.code $code', ({args, code, status, seed}) => {
		if (seed) seedInstance('alpha', 27015);
		const run = l4d2ctl(args);
		expect(run.status).toBe(status);
		expect(run.stdout).toBe('');
		expect(run.stderrLines).toHaveLength(1);
		const doc = JSON.parse(run.stderrLines[0]!) as {schema: string; error: {code: string; message: string; hint: string | null}};
		expect(doc.schema).toBe('left4me.error/1');
		expect(doc.error.code).toBe(code);
		expect(doc.error.message.length).toBeGreaterThan(0);
	});
});

describe('usage errors', () => {
	it('exits 2 for an unknown command', () => {
		const run = l4d2ctl(['frobnicate']);
		expect(run.status).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderr).toMatch(/frobnicate|argument/);
	});

	it('exits 2 for an unknown option', () => {
		expect(l4d2ctl(['list', '--bogus']).status).toBe(2);
	});

	it.each([
		[['status'], "l4d2ctl: missing required argument 'name' (hint: see l4d2ctl help status)"],
		[['rcon', 'alpha'], "l4d2ctl: missing required argument 'command' (hint: see l4d2ctl help rcon)"],
		[['list', '--bogus'], "l4d2ctl: unknown option '--bogus' (hint: see l4d2ctl help list)"],
		[['--bogus'], "l4d2ctl: unknown option '--bogus' (hint: see l4d2ctl --help)"],
	])('commander usage error %j: one line in the documented format, exit 2', (args, line) => {
		const run = l4d2ctl(args);
		expect(run.status).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderrLines).toEqual([line]);
	});

	it('commander usage error with --json: one JSON document, exit 2', () => {
		const run = l4d2ctl(['status', '--json']);
		expect(run.status).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderrLines).toHaveLength(1);
		expect(JSON.parse(run.stderrLines[0]!)).toEqual({schema: 'left4me.error/1', error: {code: 'usage', message: "missing required argument 'name'", hint: 'see l4d2ctl help status'}});
	});

	it('without a command and without a terminal exits 2 with one line naming l4d2ctl list --json', () => {
		const run = l4d2ctl([]);
		expect(run.status).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderrLines).toHaveLength(1);
		expect(run.stderrLines[0]).toContain('l4d2ctl list --json');
	});

	it('prints the version', () => {
		const pkg = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as {version: string};
		expect(l4d2ctl(['--version'])).toMatchObject({status: 0, stdout: `${pkg.version}\n`});
	});
});

describe('helper calls', () => {
	it.each([
		['start', 'ghost'],
		['stop', 'ghost'],
		['restart', 'ghost'],
		['logs', 'ghost'],
		['logs', 'ghost', '-f'],
	])('%s of an unknown instance exits 3 before any helper runs', (...args) => {
		const run = l4d2ctl(args, {asUser: true});
		expect(run.status).toBe(3);
		expect(run.stderrLines).toEqual([
			`l4d2ctl: no instance named "ghost" (${state}/instances/ghost/instance.env does not exist) (hint: list instances with: l4d2ctl list)`,
		]);
		expect(sudoCalls()).toEqual([]);
	});

	it('start of a bad name exits 2 before any helper runs', () => {
		expect(l4d2ctl(['start', '../x'], {asUser: true}).status).toBe(2);
		expect(sudoCalls()).toEqual([]);
	});

	it.each([
		['start', 'enable', 'started'],
		['stop', 'disable', 'stopped'],
		['restart', 'restart', 'restarted'],
	])('%s runs sudo -n -- left4me-systemctl %s NAME', (action, verb, past) => {
		seedInstance('alpha', 27015);
		const run = l4d2ctl([action, 'alpha'], {asUser: true});
		expect(run).toMatchObject({status: 0, stderr: '', stdout: `${past} alpha (left4me-server@alpha.service)\n`});
		expect(sudoCalls()).toEqual([`-n -- ${SYSTEMCTL_HELPER} ${verb} alpha`]);
	});

	it('turns a missing sudo rule into exit 4 with the rule in the hint', () => {
		seedInstance('alpha', 27015);
		const run = l4d2ctl(['start', 'alpha'], {asUser: true, env: {FAKE_SUDO_MODE: 'password'}});
		expect(run.status).toBe(4);
		expect(run.stderrLines).toHaveLength(1);
		expect(run.stderrLines[0]).toContain(`%left4me ALL=(root) NOPASSWD: ${SYSTEMCTL_HELPER}`);
	});

	it('logs --json prints one left4me.log/1 record per journal line', () => {
		seedInstance('alpha', 27015);
		const run = l4d2ctl(['logs', 'alpha', '-n', '3', '--json'], {asUser: true});
		expect(run.status).toBe(0);
		expect(sudoCalls()).toEqual([`-n -- ${JOURNAL_HELPER} alpha --lines 3`]);
		const records = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
		expect(records).toHaveLength(3);
		expect(records[0]).toEqual({
			schema: 'left4me.log/1',
			time: '2024-11-29T08:46:40.123Z',
			priority: 6,
			unit: 'left4me-server@alpha.service',
			pid: 1,
			message: 'Started left4me-server@alpha.service - Left 4 Dead 2 server alpha.',
			cursor: 's=3f1c9a0e6b2d4e7f9a1b2c3d4e5f6a7b;i=1a2f;b=0d6e1c2b3a4f5e6d7c8b9a0f1e2d3c4b;m=4c1b2a39;t=627f0c4c1e240;x=91f0a1b2c3d4e5f6',
		});
		expect(records[2]?.message).toBe('\u241b[31mError: map c8m1 \ufffd\ufffd\u241b[0m');
	});

	it('logs prints time and message per line and no escape characters', () => {
		seedInstance('alpha', 27015);
		const run = l4d2ctl(['logs', 'alpha'], {asUser: true});
		expect(run.status).toBe(0);
		expect(sudoCalls()).toEqual([`-n -- ${JOURNAL_HELPER} alpha --lines 100`]);
		expect(run.stdout.split('\n').slice(0, 2)).toEqual([
			'2024-11-29T08:46:40.123Z Started left4me-server@alpha.service - Left 4 Dead 2 server alpha.',
			'2024-11-29T08:46:41.250Z Auto detecting CPU',
		]);
		expect(run.stdout).not.toMatch(/\u001b/);
	});

	it('logs -f follows with --follow', () => {
		seedInstance('alpha', 27015);
		const run = l4d2ctl(['logs', 'alpha', '-f', '-n', '0'], {asUser: true});
		expect(run.status).toBe(0);
		expect(sudoCalls()).toEqual([`-n -- ${JOURNAL_HELPER} alpha --lines 0 --follow`]);
		expect(run.stdout.split('\n').filter((l) => l !== '')).toHaveLength(3);
	});
});

