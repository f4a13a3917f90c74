/**
 * Overlay builds on a real systemd: left4me-script-sandbox runs overlay-scripts/NAME.sh
 * as the transient unit left4me-build-NAME.service, driven with l4d2ctl as `left4me`.
 * Every escape probe is shown blocked inside the sandbox AND allowed outside it, so a
 * probe that cannot work at all would fail here.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {expectValid, expectValidJson, ndjson} from '../support/schema.js';
import {bootContainer, type Container, type SpawnedCommand, stageStandIn, systemTestSkipReason, waitFor} from './harness.js';

const skip = systemTestSkipReason();
if (skip) console.warn(`system tests skipped: ${skip}`);

const STATE = '/var/lib/left4me';
const HELPER = '/usr/local/libexec/left4me/left4me-script-sandbox';
const PROBES = '/src/test/fixtures/sandbox/escape-probes.sh';
const staging = (overlay: string) => `/run/left4me/builds/${overlay}/staging`;

type BuildResult = {overlay: string; result: string; exitCode: string | null; exitStatus: string | null; cancelled: boolean; durationMs: number | null; scriptSha256: string | null; startedAtMs: number | null};
type BuildsDoc = {schema: string; overlays: Array<{overlay: string; state: string; hasScript: boolean; lastResult: BuildResult | null}>};

/** `probe NAME allowed|blocked: WHY` lines → map. */
function parseProbes(text: string): Map<string, string> {
	const out = new Map<string, string>();
	for (const m of text.matchAll(/^probe (\S+) (.*)$/gm)) out.set(m[1]!, m[2]!);
	return out;
}

describe.skipIf(skip !== null)('overlay builds in the sandbox, on a real systemd', () => {
	let box: Container;
	const l4d2ctl = (...args: string[]) => box.exec(['l4d2ctl', ...args], {user: 'left4me', reject: false});
	const asRoot = (script: string) => box.exec(['bash', '-c', script], {reject: false});
	const pid1Mounts = async () => (await box.exec(['cat', '/proc/1/mountinfo'])).stdout;
	const writeScript = (name: string, text: string) =>
		box.exec(['bash', '-c', `cat > ${STATE}/overlay-scripts/${name}.sh`], {user: 'left4me', input: text});
	const lastResult = async (name: string): Promise<BuildResult | null> => {
		const r = await l4d2ctl('builds', '--json');
		expect(r.exitCode).toBe(0);
		const doc = expectValidJson<BuildsDoc>('left4me.builds/1', r.stdout);
		return doc.overlays.find((o) => o.overlay === name)?.lastResult ?? null;
	};
	const isActive = async (unit: string) => (await box.exec(['systemctl', 'is-active', unit], {reject: false})).stdout.trim();

	beforeAll(async () => {
		box = await bootContainer('left4me-sandbox', {projectDir: process.cwd()});
		const install = await box.exec(['/src/deploy/install.sh', '--source', '/src'], {reject: false});
		expect(install.stdout).toMatch(/install complete/);
		await stageStandIn(box);
	});
	afterAll(async () => {
		await box?.down();
	});

	it('builds an overlay: files land owned by left4me (a 0600 one too), the result is kept, an instance stacks it', async () => {
		const script = [
			'set -e',
			'echo "building as $(id -un) in $PWD"',
			'mkdir -p /overlay/left4dead2/addons',
			'echo "map data" > /overlay/left4dead2/addons/built.txt',
			'(umask 077; echo secret > /overlay/left4dead2/addons/private.txt)',
			'echo done',
		].join('\n');
		await writeScript('maps', `${script}\n`);
		const build = await l4d2ctl('build', 'maps', '--follow');
		expect(build.stderr).toMatch(/build maps: ok/);
		expect(build.exitCode).toBe(0);
		expect(build.stdout).toContain('building as l4d2-sandbox in /overlay');
		const owners = await box.exec(['stat', '-c', '%U:%G %a %n', `${STATE}/overlays/maps`, `${STATE}/overlays/maps/left4dead2/addons/built.txt`, `${STATE}/overlays/maps/left4dead2/addons/private.txt`]);
		expect(owners.stdout.trim().split('\n')).toEqual([
			`left4me:left4me 755 ${STATE}/overlays/maps`,
			`left4me:left4me 644 ${STATE}/overlays/maps/left4dead2/addons/built.txt`,
			`left4me:left4me 600 ${STATE}/overlays/maps/left4dead2/addons/private.txt`,
		]);
		expect((await box.exec(['cat', `${STATE}/overlays/maps/left4dead2/addons/private.txt`], {user: 'left4me'})).stdout).toBe('secret\n');
		expect(await pid1Mounts()).not.toContain(staging('maps'));

		const result = await lastResult('maps');
		const sha = (await box.exec(['sha256sum', `${STATE}/overlay-scripts/maps.sh`])).stdout.split(' ')[0];
		expect(result).toMatchObject({result: 'success', exitCode: 'exited', exitStatus: '0', cancelled: false, scriptSha256: sha});
		expect(result?.durationMs).toBeGreaterThanOrEqual(0);
		// root-owned results: left4me reads them, cannot forge them.
		expect((await box.exec(['stat', '-c', '%U %a', `${STATE}/builds`, `${STATE}/builds/maps.json`])).stdout).toBe('root 755\nroot 644\n');

		expect((await l4d2ctl('create', 'coop', '--port', '27015', '--layer', 'overlays/maps')).exitCode).toBe(0);
		expect((await l4d2ctl('start', 'coop')).exitCode).toBe(0);
		const merged = `${STATE}/runtime/coop/merged`;
		expect((await box.exec(['cat', `${merged}/left4dead2/addons/built.txt`], {user: 'left4me'})).stdout).toBe('map data\n');
		expect((await box.exec(['test', '-x', `${merged}/srcds_run`], {reject: false})).exitCode).toBe(0);
		expect((await l4d2ctl('stop', 'coop')).exitCode).toBe(0);
	});

	it('build --follow exits with the script\'s status; the staging bind is gone after a failure', async () => {
		await writeScript('broken', 'echo "about to fail"\nexit 3\n');
		const r = await l4d2ctl('build', 'broken', '--follow');
		expect(r.stdout).toContain('about to fail');
		expect(r.stderr).toMatch(/build broken: failed \(exit 3\)/);
		expect(r.exitCode).toBe(3);
		expect(await pid1Mounts()).not.toContain(staging('broken'));
		expect(await lastResult('broken')).toMatchObject({result: 'exit-code', exitCode: 'exited', exitStatus: '3'});
		const logs = await l4d2ctl('logs', 'build:broken', '--json', '-n', '50');
		expect(logs.exitCode).toBe(0);
		const records = ndjson(logs.stdout).map((d) => expectValid<{unit: string; message: string}>('left4me.log/1', d));
		expect(records.find((rec) => rec.message === 'about to fail')?.unit).toBe('left4me-build-broken.service');
		// --follow --json: the journal as left4me.log/1 records, then the left4me.build-result/1 result.
		const json = await l4d2ctl('build', 'broken', '--follow', '--json');
		expect(json.exitCode).toBe(3);
		const docs = ndjson(json.stdout);
		const followed = docs.slice(0, -1).map((d) => expectValid<{unit: string; message: string}>('left4me.log/1', d));
		expect(followed.find((rec) => rec.message === 'about to fail')?.unit).toBe('left4me-build-broken.service');
		expect(expectValid<BuildResult>('left4me.build-result/1', docs.at(-1))).toMatchObject({overlay: 'broken', result: 'exit-code', exitCode: 'exited', exitStatus: '3', cancelled: false});
	});

	it('blocks every escape attempt that works outside the sandbox', async () => {
		// Targets inside the container's own network namespace only: a loopback listener, and
		// a private /24 on a veth pair this test creates (with a resolver on it).
		await box.exec(['bash', '-c', [
			'ip link add l4t0 type veth peer name l4t1',
			'ip addr add 10.213.0.2/24 dev l4t0', 'ip addr add 10.213.0.53/24 dev l4t1',
			'ip link set l4t0 up', 'ip link set l4t1 up',
			'install -d -o l4d2-sandbox -g l4d2-sandbox /srv/left4me-probe',
		].join(' && ')]);
		await box.exec(['bash', '-c', `install -d ${STATE}/overlays/probe-data && echo host-secret > ${STATE}/overlays/probe-data/secret.txt && chmod 644 ${STATE}/overlays/probe-data/secret.txt`], {user: 'left4me'});
		const listeners: SpawnedCommand = box.spawn(['node', '/src/test/fixtures/sandbox/listeners.mjs']);
		try {
			await new Promise<void>((resolve, reject) => {
				listeners.child.stdout?.on('data', (d: Buffer) => (String(d).includes('listening') ? resolve() : undefined));
				listeners.exited.then((code) => reject(new Error(`listeners exited ${code}`)));
			});
			const asSandbox = ['setpriv', '--reuid=l4d2-sandbox', '--regid=l4d2-sandbox', '--init-groups', 'bash', PROBES];
			const userProbes = ['host-data', 'write-outside', 'setuid', 'unshare', 'personality', 'loopback-tcp', 'private-tcp', 'resolver'];
			const rootProbes = ['shadow', 'mount', 'bpf', 'sysctl'];
			const outside = new Map([
				...parseProbes((await box.exec([...asSandbox, ...userProbes])).stdout),
				...parseProbes((await box.exec(['bash', PROBES, ...rootProbes])).stdout),
			]);
			for (const name of [...userProbes, ...rootProbes]) expect([name, outside.get(name)]).toEqual([name, 'allowed']);

			await box.exec(['cp', PROBES, `${STATE}/overlay-scripts/escape.sh`], {user: 'left4me'});
			const build = await l4d2ctl('build', 'escape', '--follow');
			expect(build.exitCode).toBe(0);
			const inside = parseProbes(build.stdout);
			console.log(`escape probes inside the sandbox:\n${[...inside].map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
			const expected: Record<string, RegExp> = {
				'host-data': /No such file or directory/,
				shadow: /No such file or directory/,
				'write-outside': /Read-only file system/,
				setuid: /Operation not permitted/,
				unshare: /Operation not permitted/,
				mount: /Operation not permitted/,
				personality: /Operation not permitted/,
				bpf: /Operation not permitted/,
				sysctl: /Read-only file system/,
				'loopback-tcp': /^blocked: /,
				'private-tcp': /^blocked: /,
				resolver: /^blocked: /,
			};
			for (const [name, why] of Object.entries(expected)) {
				const line = inside.get(name);
				expect([name, line?.startsWith('blocked: ')]).toEqual([name, true]);
				expect(line).toMatch(why);
			}
			// Names resolve through the public resolvers of sandbox-resolv.conf, never the host's.
			expect(build.stdout).toContain('resolv.conf: nameserver 1.1.1.1');
			expect((await box.exec(['cat', '/srv/left4me-probe/written'])).stdout).toBe('x\n');
		} finally {
			listeners.kill();
			await listeners.exited;
		}
	});

	it('following the journal of an overlay never built shows its first build whole, from the "Started" line on', async () => {
		await writeScript('fresh', 'echo first line of fresh\necho second line of fresh\n');
		const follower = box.spawn(['l4d2ctl', 'logs', 'build:fresh', '-f'], {user: 'left4me'});
		let seen = '';
		follower.child.stdout?.on('data', (chunk: Buffer) => (seen += chunk.toString()));
		// The follower is up (journalctl runs for it) before the build starts.
		await waitFor('the journal follower', 30_000, async () => ((await box.exec(['pgrep', '-f', 'journalctl --unit=left4me-build-fresh.service'], {reject: false})).exitCode === 0 ? true : undefined));
		const build = await l4d2ctl('build', 'fresh', '--follow');
		expect(build.exitCode).toBe(0);
		await waitFor('the last line in the follower', 30_000, async () => (seen.includes('second line of fresh') ? true : undefined));
		follower.kill();
		await follower.exited;
		const lines = seen.split('\n');
		const started = lines.findIndex((l) => /Started left4me-build-fresh\.service/.test(l));
		const first = lines.findIndex((l) => l.endsWith('first line of fresh'));
		expect(started, seen).toBeGreaterThanOrEqual(0);
		expect(first, seen).toBeGreaterThan(started);
		expect(lines.findIndex((l) => l.endsWith('second line of fresh'))).toBeGreaterThan(first);
	});

	it('a build outlives a SIGKILLed l4d2ctl, refuses a second start, and reports its systemd-analyze security score', async () => {
		// Waits for a file the test creates, so nothing here depends on timing.
		await writeScript('slow', 'echo waiting\nfor i in $(seq 1200); do [ -e /overlay/go ] && break; sleep 0.25; done\necho finished\n');
		const follower = box.spawn(['l4d2ctl', 'build', 'slow', '--follow'], {user: 'left4me'});
		await waitFor('left4me-build-slow.service active', 30_000, async () => ((await isActive('left4me-build-slow.service')) === 'active' ? true : undefined));
		follower.kill('SIGKILL');
		await follower.exited;
		expect((await box.exec(['pgrep', '-u', 'left4me', '-f', 'l4d2ctl'], {reject: false})).exitCode).toBe(1);
		expect(await isActive('left4me-build-slow.service')).toBe('active');
		expect(await pid1Mounts()).toContain(staging('slow'));

		const second = await l4d2ctl('build', 'slow');
		expect(second.exitCode).toBe(6);
		expect(second.stderr.trim().split('\n')).toHaveLength(1);
		expect(second.stderr).toMatch(/overlay slow is already building/);
		const doc = expectValidJson<BuildsDoc>('left4me.builds/1', (await l4d2ctl('builds', '--json')).stdout);
		expect(doc.overlays.find((o) => o.overlay === 'slow')?.state).toBe('building');

		const security = await box.exec(['systemd-analyze', 'security', '--no-pager', 'left4me-build-slow.service'], {reject: false});
		const score = /Overall exposure level for left4me-build-slow\.service: ([\d.]+) (\S+)/.exec(security.stdout);
		console.log(`systemd-analyze security: ${score?.[0] ?? security.stdout.slice(-300)}`);
		expect(Number(score?.[1])).toBeLessThan(3);

		await box.exec(['touch', `${STATE}/overlays/slow/go`], {user: 'left4me'});
		const result = await waitFor('the slow build result', 60_000, async () => {
			const r = await lastResult('slow');
			return r?.result === 'success' ? r : undefined;
		});
		expect(result.exitStatus).toBe('0');
		expect(await pid1Mounts()).not.toContain(staging('slow'));
		const journal = await l4d2ctl('logs', 'build:slow', '-n', '20');
		expect(journal.stdout).toMatch(/finished/);
	});

	it('a build over its --max-runtime ends as timeout, and the staging bind is gone', async () => {
		await writeScript('hang', 'echo hanging\nexec sleep 600\n');
		const r = await l4d2ctl('build', 'hang', '--follow', '--max-runtime', '2');
		expect(r.stderr).toMatch(/build hang: timeout/);
		expect(r.exitCode).toBe(128 + 15);
		expect(await lastResult('hang')).toMatchObject({result: 'timeout', cancelled: false});
		expect(await pid1Mounts()).not.toContain(staging('hang'));
		expect((await l4d2ctl('build', 'hang', '--max-runtime', '0')).exitCode).toBe(2);
		const helperBound = await box.exec(['sudo', '-n', HELPER, 'build', 'hang', '--max-runtime', '3601'], {user: 'left4me', reject: false});
		expect([helperBound.exitCode, helperBound.stderr.trim()]).toEqual([2, 'left4me-script-sandbox: --max-runtime wants whole seconds from 1 to 3600']);
	});

	it('cancel stops a build, records it, and removes the staging bind', async () => {
		const start = await l4d2ctl('build', 'hang');
		expect(start.exitCode).toBe(0);
		expect(start.stdout).toMatch(/started left4me-build-hang\.service/);
		await waitFor('left4me-build-hang.service active', 30_000, async () => ((await isActive('left4me-build-hang.service')) === 'active' ? true : undefined));
		expect(await pid1Mounts()).toContain(staging('hang'));
		const cancel = await l4d2ctl('cancel', 'hang', '--json');
		expect(cancel.stderr).toBe('');
		expect(cancel.exitCode).toBe(0);
		expect(expectValidJson('left4me.action/1', cancel.stdout)).toEqual({schema: 'left4me.action/1', action: 'cancel', overlay: 'hang', unit: 'left4me-build-hang.service', ok: true});
		expect(await lastResult('hang')).toMatchObject({cancelled: true, exitCode: 'killed'});
		expect(await pid1Mounts()).not.toContain(staging('hang'));
		expect(await isActive('left4me-build-hang.service')).not.toBe('active');
		const again = await l4d2ctl('cancel', 'hang', '--json');
		expect(again.exitCode).toBe(3);
		expect(expectValidJson('left4me.error/1', again.stderr.trim()).error).toMatchObject({code: 'not_found', message: expect.stringMatching(/overlay hang is not building/)});
		const rebuilt = await l4d2ctl('build', 'hang', '--json', '--max-runtime', '1');
		expect(rebuilt.exitCode).toBe(0);
		expect(expectValidJson('left4me.action/1', rebuilt.stdout)).toEqual({schema: 'left4me.action/1', action: 'build', overlay: 'hang', unit: 'left4me-build-hang.service', ok: true});
		await waitFor('the 1 s hang build to time out', 60_000, async () => ((await lastResult('hang'))?.result === 'timeout' ? true : undefined));
		expect(await pid1Mounts()).not.toContain(staging('hang'));
	});

	it('the unit-internal finish verb is refused outside the build unit; bad names never reach systemd', async () => {
		const forged = await box.exec(['sudo', '-n', HELPER, 'finish', 'maps', 'success', 'exited', '0'], {user: 'left4me', reject: false});
		expect(forged.exitCode).toBe(4);
		expect(forged.stderr).toMatch(/finish runs only as ExecStopPost= of left4me-build-maps\.service/);
		expect((await lastResult('maps'))?.result).toBe('success');
		const bad = await l4d2ctl('build', '../etc');
		expect(bad.exitCode).toBe(2);
		expect(bad.stderr).toMatch(/invalid overlay name/);
		const missing = await l4d2ctl('build', 'nothing');
		expect(missing.exitCode).toBe(3);
		expect(missing.stderr).toMatch(/no build script overlay-scripts\/nothing\.sh/);
	});

	it('a build started from the dashboard keeps running after the dashboard is killed, and its result shows on the next start', async () => {
		await writeScript('a-dash', 'echo waiting\nfor i in $(seq 1200); do [ -e /overlay/go ] && break; sleep 0.25; done\necho finished\n');
		// The dashboard on a pty (script(1)); keys come through a FIFO a sleeping writer keeps open.
		const dashboard = () => {
			const fifo = `/tmp/keys-${Date.now()}`;
			const screen = {text: ''};
			const run = box.spawn(['bash', '-c', [
				`mkfifo -m 666 ${fifo}`, `sleep 600 > ${fifo} 2>/dev/null </dev/null & echo $! > ${fifo}.pid`,
				`exec setpriv --reuid=left4me --regid=left4me --init-groups env TERM=xterm HOME=${STATE} script -qfec "stty cols 120 rows 40; exec l4d2ctl" /dev/null < ${fifo}`,
			].join('; ')]);
			run.child.stdout?.on('data', (d: Buffer) => (screen.text += String(d)));
			const plain = () => screen.text.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');
			const type = (keys: string) => box.exec(['timeout', '10', 'bash', '-c', `printf %s '${keys}' > ${fifo}`]);
			const waitScreen = (what: RegExp) =>
				waitFor(`${what} on the dashboard`, 40_000, async () => (what.test(plain()) ? true : undefined)).catch((error: unknown) => {
					throw new Error(`${String(error)}\nscreen so far:\n${plain().slice(-2000)}`);
				});
			// Keys typed before Ink switched the pty to raw mode are lost: wait for -icanon.
			const waitRaw = () =>
				waitFor('the dashboard to put its pty in raw mode', 60_000, async () => {
					const probe = 'p=$(pgrep -n -u left4me -f dist/cli/main.js) && stty -a -F "$(readlink /proc/$p/fd/0)"';
					const r = await box.exec(['bash', '-c', probe], {reject: false});
					return / -icanon /.test(` ${r.stdout.replace(/\s+/g, ' ')} `) ? true : undefined;
				});
			const close = () => box.exec(['bash', '-c', `kill "$(cat ${fifo}.pid)"; rm -f ${fifo} ${fifo}.pid`], {reject: false});
			return {run, type, waitScreen, waitRaw, plain, close};
		};
		const first = dashboard();
		await first.waitScreen(/q\/\^C quit/);
		await first.waitRaw();
		await first.type('B');
		await first.waitScreen(/OVERLAY +STATE/);
		await first.waitScreen(/> a-dash +idle +never built/);
		await first.type('b');
		await first.waitScreen(/started the a-dash build/);
		await waitFor('left4me-build-a-dash.service active', 30_000, async () => ((await isActive('left4me-build-a-dash.service')) === 'active' ? true : undefined));
		// SIGKILL to the dashboard's own process (script(1) put it in a session of its own), then its pty.
		const pids = (await box.exec(['pgrep', '-u', 'left4me', '-f', 'dist/cli/main.js'])).stdout.trim().split('\n');
		expect(pids).toHaveLength(1);
		await box.exec(['kill', '-KILL', pids[0]!]);
		first.run.kill('SIGKILL');
		await first.close();
		await first.run.exited;
		await waitFor('the killed dashboard to be reaped', 30_000, async () =>
			(await box.exec(['pgrep', '-u', 'left4me', '-f', 'dist/cli/main.js'], {reject: false})).exitCode === 1 ? true : undefined);
		expect(await isActive('left4me-build-a-dash.service')).toBe('active');

		await box.exec(['touch', `${STATE}/overlays/a-dash/go`], {user: 'left4me'});
		await waitFor('the a-dash result', 60_000, async () => ((await lastResult('a-dash'))?.result === 'success' ? true : undefined));
		const second = dashboard();
		try {
			await second.waitScreen(/q\/\^C quit/);
			await second.waitRaw();
			await second.type('B');
			await second.waitScreen(/> a-dash +idle +ok /);
		} finally {
			await second.type('q');
			await second.close();
			await second.run.exited;
		}
	});
});
