// The built l4d2ctl's build, builds, cancel and logs build:X commands on a temp state
// tree, with stand-ins for sudo (records argv, answers like the sandbox helper) and
// systemctl (reports one build as active).
import {spawnSync} from 'node:child_process';
import {chmodSync, existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {expectValid, expectValidJson, ndjson} from '../../support/schema.js';
import {removeTree, tempDir, writeTree} from '../support/tree.js';

const PROJECT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(PROJECT, 'dist/cli/main.js');
const SANDBOX = '/usr/local/libexec/left4me/left4me-script-sandbox';

const FAKE_SUDO = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_SUDO_LOG"
case "$4 $5" in
"build busy") echo 'left4me-script-sandbox: overlay busy is already building (left4me-build-busy.service is active)' >&2; exit 4 ;;
"build follow") ms=$(date +%s%3N); printf '{"schema":"left4me.build-result/1","overlay":"follow","result":"success","exitCode":"exited","exitStatus":"0","cancelled":false,"startedAtMs":%s,"finishedAtMs":%s,"durationMs":0,"scriptSha256":"%s"}' "$ms" "$ms" "$(printf 'a%.0s' $(seq 64))" > "$LEFT4ME_STATE_DIR/builds/follow.json"; echo 'left4me-script-sandbox: started left4me-build-follow.service (script sha256 abc)'; exit 0 ;;
"build "*) echo "left4me-script-sandbox: started left4me-build-$5.service (script sha256 abc)"; exit 0 ;;
"cancel idle") echo 'left4me-script-sandbox: overlay idle is not building' >&2; exit 3 ;;
esac
case "$3 $4" in
*left4me-journalctl\\ build:follow) printf '%s\\n' '{"MESSAGE":"building follow","__REALTIME_TIMESTAMP":"1732870000000000","PRIORITY":"6","_SYSTEMD_UNIT":"left4me-build-follow.service","__CURSOR":"s=1"}' ;;
esac
exit 0
`;
const FAKE_SYSTEMCTL = `#!/bin/sh
for u in "$@"; do case "$u" in left4me-build-*) printf 'Id=%s\\nLoadState=loaded\\nActiveState=%s\\nSubState=x\\n\\n' "$u" "$( [ "$u" = left4me-build-busy.service ] && echo active || echo inactive)";; esac; done
`;

let root: string;
let sudoLog: string;
const AS_USER = process.getuid?.() === 0 ? {uid: 65534, gid: 65534} : {};

beforeAll(() => {
	if (!existsSync(BIN)) throw new Error('run npm run build first');
});
beforeEach(() => {
	root = tempDir('cli-builds');
	chmodSync(root, 0o755);
	writeTree(root, {
		'bin/sudo': FAKE_SUDO, 'bin/systemctl': FAKE_SYSTEMCTL, 'log/sudo.log': '',
		'state/overlay-scripts/maps.sh': 'echo\n', 'state/overlay-scripts/busy.sh': 'sleep 1\n',
		'state/builds/maps.json': JSON.stringify({schema: 'left4me.build-result/1', overlay: 'maps', result: 'exit-code', exitCode: 'exited', exitStatus: '3', cancelled: false, startedAtMs: 1_800_000_000_000, finishedAtMs: 1_800_000_065_000, durationMs: 65_000, scriptSha256: 'f'.repeat(64)}),
	});
	for (const f of ['bin/sudo', 'bin/systemctl']) chmodSync(join(root, f), 0o755);
	for (const d of ['', 'log', 'state', 'state/builds', 'state/overlay-scripts', 'bin']) chmodSync(join(root, d), 0o755);
	chmodSync(join(root, 'log'), 0o777);
	chmodSync(join(root, 'log/sudo.log'), 0o666);
	sudoLog = join(root, 'log/sudo.log');
});
afterEach(() => removeTree(root));

function l4d2ctl(args: readonly string[]) {
	const r = spawnSync(process.execPath, [BIN, ...args], {
		cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000,
		env: {...process.env, PATH: `${join(root, 'bin')}:/usr/bin:/bin`, LEFT4ME_STATE_DIR: join(root, 'state'), FAKE_SUDO_LOG: sudoLog},
		...AS_USER,
	});
	return {status: r.status, stdout: r.stdout, stderrLines: r.stderr.split('\n').filter(Boolean)};
}
const sudoCalls = () => readFileSync(sudoLog, 'utf8').split('\n').filter(Boolean);

describe('l4d2ctl build / cancel', () => {
	it('build starts the unit through the sandbox helper and says how to follow it', () => {
		const r = l4d2ctl(['build', 'maps', '--max-runtime', '60']);
		expect(r.stderrLines).toEqual([]);
		expect(r.status).toBe(0);
		expect(r.stdout).toBe('started left4me-build-maps.service (script sha256 abc); follow it with: l4d2ctl logs build:maps -f\n');
		expect(sudoCalls()).toEqual([`-n -- ${SANDBOX} build maps --max-runtime 60`]);
	});

	it('a second build of a building overlay is refused with exit 6 and one line', () => {
		const r = l4d2ctl(['build', 'busy']);
		expect(r.status).toBe(6);
		expect(r.stderrLines).toEqual(['l4d2ctl: left4me-script-sandbox: overlay busy is already building (left4me-build-busy.service is active) (hint: wait for it (l4d2ctl logs build:busy -f) or cancel it (l4d2ctl cancel busy))']);
	});

	it.each([
		[['build', '../x'], 2, /invalid overlay name/],
		[['build', 'maps', '--max-runtime', '0'], 2, /--max-runtime must be whole seconds from 1 to 3600/],
		[['build', 'maps', '--max-runtime', '5m'], 2, /--max-runtime must be a whole number/],
		[['cancel', 'A'], 2, /invalid overlay name/],
		[['logs', 'build:../x'], 2, /invalid overlay name/],
	])('%j exits %i before any helper runs', (args, status, line) => {
		const r = l4d2ctl(args);
		expect(r.status).toBe(status);
		expect(r.stderrLines).toHaveLength(1);
		expect(r.stderrLines[0]).toMatch(line);
		expect(sudoCalls()).toEqual([]);
	});

	it('cancel of an overlay that is not building exits 3', () => {
		const r = l4d2ctl(['cancel', 'idle', '--json']);
		expect(r.status).toBe(3);
		expect(JSON.parse(r.stderrLines[0]!)).toMatchObject({schema: 'left4me.error/1', error: {code: 'not_found'}});
		expect(sudoCalls()).toEqual([`-n -- ${SANDBOX} cancel idle`]);
	});

	it('--json: build and cancel print left4me.action/1, a refusal left4me.error/1', () => {
		const build = l4d2ctl(['build', 'maps', '--json']);
		expect(build.status).toBe(0);
		expect(expectValidJson('left4me.action/1', build.stdout)).toEqual({schema: 'left4me.action/1', action: 'build', overlay: 'maps', unit: 'left4me-build-maps.service', ok: true});
		const cancel = l4d2ctl(['cancel', 'busy', '--json']);
		expect(cancel.status).toBe(0);
		expect(expectValidJson('left4me.action/1', cancel.stdout)).toEqual({schema: 'left4me.action/1', action: 'cancel', overlay: 'busy', unit: 'left4me-build-busy.service', ok: true});
		const refused = l4d2ctl(['build', 'busy', '--json']);
		expect(refused.status).toBe(6);
		expect(refused.stderrLines).toHaveLength(1);
		expect(expectValidJson('left4me.error/1', refused.stderrLines[0]!).error.code).toBe('conflict');
	});

	it('build --follow --json prints left4me.log/1 records, then the left4me.build-result/1 result', () => {
		chmodSync(join(root, 'state/builds'), 0o777);
		const r = l4d2ctl(['build', 'follow', '--follow', '--json']);
		expect(r.stderrLines).toEqual([]);
		expect(r.status).toBe(0);
		const docs = ndjson(r.stdout);
		expect(docs.length).toBeGreaterThanOrEqual(2);
		const records = docs.slice(0, -1).map((d) => expectValid<{message: string; unit: string}>('left4me.log/1', d));
		expect(records.map((rec) => [rec.unit, rec.message])).toEqual([['left4me-build-follow.service', 'building follow']]);
		expect(expectValid('left4me.build-result/1', docs.at(-1))).toMatchObject({overlay: 'follow', unit: 'left4me-build-follow.service', result: 'success', exitStatus: '0'});
	});

	it('logs build:OVERLAY reads that build unit\'s journal', () => {
		expect(l4d2ctl(['logs', 'build:maps', '-n', '5']).status).toBe(0);
		expect(sudoCalls()).toEqual(['-n -- /usr/local/libexec/left4me/left4me-journalctl build:maps --lines 5']);
	});
});

describe('l4d2ctl builds', () => {
	it('--json lists every overlay with its state and last result', () => {
		const r = l4d2ctl(['builds', '--json']);
		expect(r.status).toBe(0);
		const doc = expectValidJson<{overlays: Array<{overlay: string; state: string; lastResult: {exitStatus: string} | null}>}>('left4me.builds/1', r.stdout);
		expectValid('left4me.build-result/1', doc.overlays.find((o) => o.overlay === 'maps')?.lastResult);
		expect(doc.overlays.map((o) => [o.overlay, o.state, o.lastResult?.exitStatus ?? null])).toEqual([
			['busy', 'building', null],
			['maps', 'idle', '3'],
		]);
	});

	it('prints a table for people', () => {
		const r = l4d2ctl(['builds']);
		expect(r.status).toBe(0);
		expect(r.stdout).toMatch(/^OVERLAY +STATE +LAST RESULT +FINISHED +TOOK +SCRIPT SHA256$/m);
		expect(r.stdout).toMatch(/^busy +building +- +- +- +-$/m);
		expect(r.stdout).toMatch(/^maps +idle +failed \(exit 3\) +2027-01-15T08:01:05Z +1m05s +ffffffffffff$/m);
	});
});
