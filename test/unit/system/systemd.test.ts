import {mkdirSync, mkdtempSync, rmSync, symlinkSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {Left4meError} from '../../../source/core/errors.js';
import {createUnitReader, firstLine} from '../../../source/system/systemd.js';
import {fixture} from '../support/fixtures.js';
import {FakeRunner} from '../support/fake-runner.js';

const UNITS = ['left4me-server@alpha.service', 'left4me-server@beta.service', 'left4me-server@fresh.service', 'left4me-server@ghost.service', 'l4d2-game.slice', 'l4d2-build.slice'];

describe('UnitReader', () => {
	it('asks for every unit in ONE systemctl show call with unix timestamps', async () => {
		const runner = new FakeRunner().answer({stdout: fixture('systemctl/show-fleet.txt')});
		const statuses = await createUnitReader(runner).show(UNITS);
		expect(runner.calls).toHaveLength(1);
		expect(runner.calls[0]?.argv).toEqual([
			'systemctl',
			'show',
			'--timestamp=unix',
			'--property=Id,LoadState,ActiveState,SubState,Result,UnitFileState,NRestarts,StartLimitBurst,MainPID,ExecMainStatus,ActiveEnterTimestamp,ControlGroup',
			'--',
			...UNITS,
		]);
		expect(statuses.get('left4me-server@alpha.service')?.activeEnterMs).toBe(1_732_870_000_000);
		expect(statuses.get('left4me-server@ghost.service')?.loadState).toBe('not-found');
	});

	it('does not run systemctl for no units', async () => {
		const runner = new FakeRunner();
		expect((await createUnitReader(runner).show([])).size).toBe(0);
		expect(runner.calls).toHaveLength(0);
	});

	it('throws failed with the argv and the first stderr line when systemctl fails', async () => {
		const runner = new FakeRunner().answer({exitCode: 1, stderr: '\nFailed to connect to bus: No such file or directory\nmore\n'});
		const error = await createUnitReader(runner).show(['a.service']).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(Left4meError);
		expect((error as Left4meError).code).toBe('failed');
		expect((error as Left4meError).message).toBe('systemctl show failed: Failed to connect to bus: No such file or directory');
		expect((error as Left4meError).argv?.at(-1)).toBe('a.service');
	});

	it('stamps the unit file directories: an entry added or removed (enable, disable) changes the stamp, a missing directory reads as -', async () => {
		const root = mkdtempSync(path.join(os.tmpdir(), 'left4me-units-'));
		const wants = path.join(root, 'multi-user.target.wants');
		mkdirSync(wants);
		const reader = createUnitReader(new FakeRunner(), [root, wants, path.join(root, 'absent')]);
		const before = reader.stamp!();
		expect(before).toMatch(/^\d+(\.\d+)? \d+(\.\d+)? - $/);
		// The kernel stamps mtimes from a coarse clock (a jiffy): let one pass.
		await new Promise((resolve) => setTimeout(resolve, 20));
		symlinkSync('/etc/systemd/system/left4me-server@.service', path.join(wants, 'left4me-server@alpha.service'));
		const enabled = reader.stamp!();
		expect(enabled).not.toBe(before);
		expect(reader.stamp!()).toBe(enabled);
		rmSync(root, {recursive: true});
		expect(reader.stamp!()).toBe('- - - ');
	});

	it('firstLine skips blank lines', () => {
		expect(firstLine('\n  \n  x  \ny')).toBe('x');
		expect(firstLine('')).toBe('(no output)');
	});
});
