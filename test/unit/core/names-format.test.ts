import {describe, expect, it} from 'vitest';
import {asLeft4meError, EXIT_CODES, Left4meError} from '../../../source/core/errors.js';
import {formatBytes, formatDuration, formatMemory, formatPercent, formatState, formatUptime} from '../../../source/core/format.js';
import {isValidName, nameProblem} from '../../../source/core/names.js';
import {
	buildUnit,
	cgroupDir,
	helperPath,
	instanceEnvPath,
	instanceOfUnit,
	makePaths,
	serverControlGroup,
	serverUnit,
	sliceControlGroup,
} from '../../../source/core/paths.js';

describe('names', () => {
	it.each(['a', '0', 'alpha', 'alpha-1', 'coop_2', '9lives', 'a'.repeat(32), 'a-', 'a_'])('accepts %j', (name) => {
		expect(isValidName(name)).toBe(true);
		expect(nameProblem(name)).toBeNull();
	});

	it.each([
		['', 'name is empty'],
		['a'.repeat(33), 'name is 33 characters long; at most 32 are allowed'],
		['-alpha', '"-alpha" may use only a-z, 0-9, "_" and "-", and must start with a letter or digit'],
		['_alpha', '"_alpha" may use only a-z, 0-9, "_" and "-", and must start with a letter or digit'],
		['Alpha', '"Alpha" may use only a-z, 0-9, "_" and "-", and must start with a letter or digit'],
		['a.b', '"a.b" may use only a-z, 0-9, "_" and "-", and must start with a letter or digit'],
		['a b', '"a b" may use only a-z, 0-9, "_" and "-", and must start with a letter or digit'],
		['../x', '"../x" may use only a-z, 0-9, "_" and "-", and must start with a letter or digit'],
		['zoë', '"zoë" may use only a-z, 0-9, "_" and "-", and must start with a letter or digit'],
		['a\n', '"a\n" may use only a-z, 0-9, "_" and "-", and must start with a letter or digit'],
	])('refuses %j', (name, problem) => {
		expect(isValidName(name)).toBe(false);
		expect(nameProblem(name)).toBe(problem);
	});
});

describe('format helpers', () => {
	it.each([
		[null, '-'],
		[0, '0 B'],
		[1023, '1023 B'],
		[1024, '1.0 KiB'],
		[1536, '1.5 KiB'],
		[398_748 * 1024, '389.4 MiB'],
		[512 * 1024 ** 2, '512.0 MiB'],
		[3 * 1024 ** 3 + 1024 ** 3 / 4, '3.3 GiB'],
		[2 * 1024 ** 4, '2.0 TiB'],
		[2048 * 1024 ** 4, '2048.0 TiB'],
	])('formatBytes(%j) = %j', (bytes, expected) => {
		expect(formatBytes(bytes)).toBe(expected);
	});

	it.each([
		[null, false, '-'],
		[null, true, '-'],
		[1024 ** 2, false, '1.0 MiB'],
		[1024 ** 2, true, '~1.0 MiB'],
	])('formatMemory(%j, %j) = %j', (bytes, approx, expected) => {
		expect(formatMemory(bytes, approx)).toBe(expected);
	});

	it.each([
		[null, '-'],
		[0, '0.0'],
		[12.34, '12.3'],
		[12.36, '12.4'],
		[250, '250.0'],
	])('formatPercent(%j) = %j', (value, expected) => {
		expect(formatPercent(value)).toBe(expected);
	});

	it.each([
		[null, '-'],
		[0, '0s'],
		[45.9, '45s'],
		[59, '59s'],
		[60, '1m00s'],
		[725, '12m05s'],
		[3599, '59m59s'],
		[3600, '1h00m'],
		[11_220, '3h07m'],
		[86_399, '23h59m'],
		[86_400, '1d00h'],
		[187_200, '2d04h'],
	])('formatDuration(%j) = %j', (seconds, expected) => {
		expect(formatDuration(seconds)).toBe(expected);
	});

	it.each([
		[null, '-'],
		[59.9, '59s'],
		[60, '1m'],
		[3599, '59m'],
		[3600, '1h00m'],
		[187_200, '2d04h'],
	])('formatUptime(%j) = %j (whole minutes after the first)', (seconds, expected) => {
		expect(formatUptime(seconds)).toBe(expected);
	});

	it.each([
		['active', 'success', 'active'],
		['failed', 'start-limit-hit', 'failed (start-limit-hit)'],
		['failed', 'exit-code', 'failed (exit-code)'],
		['failed', 'success', 'failed'],
		['failed', '', 'failed'],
		['inactive', 'exit-code', 'inactive'],
	])('formatState(%j, %j) = %j', (state, result, expected) => {
		expect(formatState(state, result)).toBe(expected);
	});

	it('names the start limit for a crash loop it ended, whose Result stays exit-code', () => {
		expect(formatState('failed', 'exit-code', true)).toBe('failed (start limit)');
		expect(formatState('failed', 'start-limit-hit', true)).toBe('failed (start-limit-hit)');
	});
});

describe('paths', () => {
	const paths = makePaths('/srv/l4', '/sys/fs/cgroup');

	it('derives the layout from the data root', () => {
		expect(paths).toEqual({
			state: '/srv/l4',
			installation: '/srv/l4/installation',
			instances: '/srv/l4/instances',
			runtime: '/srv/l4/runtime',
			overlays: '/srv/l4/overlays',
			overlayScripts: '/srv/l4/overlay-scripts',
			builds: '/srv/l4/builds',
			libexec: '/usr/local/libexec/left4me',
			cgroupRoot: '/sys/fs/cgroup',
		});
		expect(makePaths().state).toBe('/var/lib/left4me');
	});

	it('names units, cgroups and files', () => {
		expect(serverUnit('alpha')).toBe('left4me-server@alpha.service');
		expect(buildUnit('maps')).toBe('left4me-build-maps.service');
		expect(serverControlGroup('alpha')).toBe('/l4d2.slice/l4d2-game.slice/left4me-server@alpha.service');
		expect(sliceControlGroup('l4d2-build.slice')).toBe('/l4d2.slice/l4d2-build.slice');
		expect(cgroupDir(paths, serverControlGroup('alpha'))).toBe('/sys/fs/cgroup/l4d2.slice/l4d2-game.slice/left4me-server@alpha.service');
		expect(instanceEnvPath(paths, 'alpha')).toBe('/srv/l4/instances/alpha/instance.env');
		expect(helperPath(paths, 'left4me-systemctl')).toBe('/usr/local/libexec/left4me/left4me-systemctl');
	});

	it.each([
		['left4me-server@alpha.service', 'alpha'],
		['left4me-server@.service', null],
		['left4me-build-maps.service', null],
		['left4me-server@alpha.socket', null],
		['l4d2-game.slice', null],
	])('instanceOfUnit(%j) = %j', (unit, expected) => {
		expect(instanceOfUnit(unit)).toBe(expected);
	});
});

describe('errors', () => {
	it('maps every code to its documented exit status', () => {
		expect(EXIT_CODES).toEqual({failed: 1, usage: 2, not_found: 3, permission: 4, partial: 5, conflict: 6, timeout: 7});
		expect(new Left4meError('conflict', 'x').exitCode).toBe(6);
	});

	it('turns anything thrown into a one-line failed error', () => {
		const fromError = asLeft4meError(new Error('first line\nsecond line'));
		expect([fromError.code, fromError.message, fromError.exitCode]).toEqual(['failed', 'first line', 1]);
		expect(asLeft4meError('boom').message).toBe('boom');
		const original = new Left4meError('not_found', 'gone', 'hint');
		expect(asLeft4meError(original)).toBe(original);
	});
});
