import {describe, expect, it} from 'vitest';
import {Left4meError} from '../../../source/core/errors.js';
import {makePaths} from '../../../source/core/paths.js';
import {createPrivileged, sudoRuleFor} from '../../../source/system/privileged.js';
import {FakeRunner} from '../support/fake-runner.js';

const paths = makePaths();
const SYSTEMCTL = '/usr/local/libexec/left4me/left4me-systemctl';
const JOURNALCTL = '/usr/local/libexec/left4me/left4me-journalctl';
const SUDO_PASSWORD = 'sudo: a password is required\n';

async function rejection(promise: Promise<unknown>): Promise<Left4meError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(Left4meError);
		return error as Left4meError;
	}
	throw new Error('expected a rejection');
}

describe('systemctl helper', () => {
	it.each(['enable', 'disable', 'start', 'stop', 'restart', 'reset-failed'] as const)('as non-root runs sudo -n -- HELPER %s NAME', async (verb) => {
		const runner = new FakeRunner();
		await createPrivileged(runner, paths, false).systemctl(verb, 'alpha');
		expect(runner.calls.map((c) => c.argv)).toEqual([['sudo', '-n', '--', SYSTEMCTL, verb, 'alpha']]);
	});

	it('as root runs the helper without sudo', async () => {
		const runner = new FakeRunner();
		await createPrivileged(runner, paths, true).systemctl('enable', 'a');
		expect(runner.calls.map((c) => c.argv)).toEqual([[SYSTEMCTL, 'enable', 'a']]);
	});

	it('uses the configured libexec directory', async () => {
		const runner = new FakeRunner();
		await createPrivileged(runner, makePaths('/var/lib/left4me', '/sys/fs/cgroup', '/opt/l4/libexec'), false).systemctl('restart', 'a');
		expect(runner.calls[0]?.argv).toEqual(['sudo', '-n', '--', '/opt/l4/libexec/left4me-systemctl', 'restart', 'a']);
	});

	it('turns a missing sudo rule into a permission error whose hint holds the exact sudoers rule', async () => {
		const runner = new FakeRunner().answer({exitCode: 1, stderr: SUDO_PASSWORD});
		const error = await rejection(createPrivileged(runner, paths, false).systemctl('enable', 'a'));
		expect(error.code).toBe('permission');
		expect(error.exitCode).toBe(4);
		expect(error.message).toBe('missing sudo rule for left4me-systemctl: sudo: a password is required');
		expect(error.hint).toContain(`%left4me ALL=(root) NOPASSWD: ${SYSTEMCTL}`);
		expect(error.argv).toEqual(['sudo', '-n', '--', SYSTEMCTL, 'enable', 'a']);
	});

	it('recognises sudo\'s "not allowed to execute" refusal', async () => {
		const stderr = `Sorry, user left4me is not allowed to execute '${SYSTEMCTL} enable a' as root on l4d2-host.\n`;
		const error = await rejection(createPrivileged(new FakeRunner().answer({exitCode: 1, stderr}), paths, false).systemctl('enable', 'a'));
		expect(error.code).toBe('permission');
	});

	it.each([
		[1, 'failed', 'left4me-systemctl: systemctl enable --now left4me-server@a.service failed'],
		[2, 'usage', 'left4me-systemctl: invalid verb'],
		[3, 'not_found', 'left4me-systemctl: no instance a'],
		[4, 'conflict', 'left4me-systemctl: busy'],
		[77, 'failed', 'left4me-systemctl: odd'],
	] as const)('helper exit %d -> %s', async (exitCode, code, line) => {
		const runner = new FakeRunner().answer({exitCode, stderr: `${line}\nsecond line\n`});
		const error = await rejection(createPrivileged(runner, paths, false).systemctl('enable', 'a'));
		expect(error.code).toBe(code);
		expect(error.message).toBe(line);
		expect(error.hint).toBeUndefined();
	});

	it('prefixes the helper name when its stderr line lacks it, and copes with no stderr', async () => {
		const runner = new FakeRunner().answer({exitCode: 3, stderr: 'unit not found\n'}).answer({exitCode: 1, stderr: ''});
		const privileged = createPrivileged(runner, paths, true);
		expect((await rejection(privileged.systemctl('enable', 'a'))).message).toBe('left4me-systemctl: unit not found');
		expect((await rejection(privileged.systemctl('enable', 'a'))).message).toBe('left4me-systemctl: (no output)');
	});

	it('as root does not blame sudo for a helper message that mentions it', async () => {
		const error = await rejection(createPrivileged(new FakeRunner().answer({exitCode: 1, stderr: 'sudo: x\n'}), paths, true).systemctl('enable', 'a'));
		expect(error.code).toBe('failed');
	});
});

describe('overlay helper', () => {
	it.each(['wipe', 'purge'] as const)('runs sudo -n -- left4me-overlay %s NAME', async (verb) => {
		const runner = new FakeRunner();
		await createPrivileged(runner, paths, false).overlay(verb, 'alpha');
		expect(runner.calls.map((c) => c.argv)).toEqual([['sudo', '-n', '--', '/usr/local/libexec/left4me/left4me-overlay', verb, 'alpha']]);
	});

	it('maps the helper\'s exit 4 (mounted, busy) to conflict with its line and argv', async () => {
		const runner = new FakeRunner().answer({exitCode: 4, stderr: 'left4me-overlay: alpha is mounted; stop it first\n'});
		const error = await rejection(createPrivileged(runner, paths, true).overlay('wipe', 'alpha'));
		expect([error.code, error.exitCode, error.message]).toEqual(['conflict', 6, 'left4me-overlay: alpha is mounted; stop it first']);
		expect(error.argv).toEqual(['/usr/local/libexec/left4me/left4me-overlay', 'wipe', 'alpha']);
	});
});

describe('journal helper', () => {
	it.each([
		[{}, ['alpha']],
		[{lines: 50}, ['alpha', '--lines', '50']],
		[{lines: 0}, ['alpha', '--lines', '0']],
		[{afterCursor: 's=1;i=2'}, ['alpha', '--after-cursor', 's=1;i=2']],
		[{lines: 10, afterCursor: 'C', follow: true}, ['alpha', '--lines', '10', '--after-cursor', 'C']],
	])('journal(%j) runs the helper to completion without --follow', async (options, args) => {
		const runner = new FakeRunner().answer({stdout: '{"MESSAGE":"x"}\n'});
		const text = await createPrivileged(runner, paths, false).journal('alpha', options);
		expect(text).toBe('{"MESSAGE":"x"}\n');
		expect(runner.calls).toEqual([{argv: ['sudo', '-n', '--', JOURNALCTL, ...args], timeoutMs: 30_000, stream: false}]);
	});

	it('followJournal maps options to --lines N --after-cursor C --follow and streams chunks', async () => {
		const runner = new FakeRunner();
		runner.streamChunks = ['{"MESSAGE":"a"}\n{"MES', 'SAGE":"b"}\n'];
		const chunks: string[] = [];
		const handle = createPrivileged(runner, paths, false).followJournal('build:maps', {lines: 20, afterCursor: 'C'}, (c) => chunks.push(c));
		expect(runner.calls).toEqual([{argv: ['sudo', '-n', '--', JOURNALCTL, 'build:maps', '--lines', '20', '--after-cursor', 'C', '--follow'], stream: true}]);
		expect(chunks.join('')).toBe('{"MESSAGE":"a"}\n{"MESSAGE":"b"}\n');
		expect(await handle.done).toEqual({exitCode: 0, stderr: ''});
	});

	it('journal errors carry the argv', async () => {
		const runner = new FakeRunner().answer({exitCode: 3, stderr: 'left4me-journalctl: no such instance: ghost\n'});
		const error = await rejection(createPrivileged(runner, paths, true).journal('ghost', {lines: 5}));
		expect([error.code, error.message, error.argv]).toEqual(['not_found', 'left4me-journalctl: no such instance: ghost', [JOURNALCTL, 'ghost', '--lines', '5']]);
	});

	it('errorOf maps a finished stream run', () => {
		const privileged = createPrivileged(new FakeRunner(), paths, false);
		expect(privileged.errorOf('left4me-journalctl', 0, '')).toBeNull();
		expect(privileged.errorOf('left4me-journalctl', null, '')?.code).toBe('failed');
		expect(privileged.errorOf('left4me-journalctl', 1, SUDO_PASSWORD)?.hint).toContain(`NOPASSWD: ${JOURNALCTL}`);
	});
});

describe('sudoRuleFor', () => {
	it('pins the full helper path for the left4me group', () => {
		expect(sudoRuleFor(paths, 'left4me-overlay')).toBe('%left4me ALL=(root) NOPASSWD: /usr/local/libexec/left4me/left4me-overlay');
	});
});
