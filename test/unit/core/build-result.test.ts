import {describe, expect, it} from 'vitest';
import {buildBuildsDocument, buildingFromStatuses, describeResult, isBuilding, parseBuildResult, scriptExitStatus, type BuildResult} from '../../../source/core/build-result.js';
import type {UnitStatus} from '../../../source/core/unit-status.js';

const SHA = 'a'.repeat(64);
/** A result document as left4me-script-sandbox finish writes it. */
const doc = (fields: Record<string, unknown> = {}) =>
	JSON.stringify({
		schema: 'left4me.build-result/1', overlay: 'maps', unit: 'left4me-build-maps.service', result: 'success', exitCode: 'exited', exitStatus: '0',
		cancelled: false, startedAtMs: 1000, finishedAtMs: 4500, durationMs: 3500, scriptSha256: SHA, ...fields,
	});
const parsed = (fields: Record<string, unknown> = {}): BuildResult => parseBuildResult(doc(fields))!;

describe('parseBuildResult', () => {
	it('reads the helper\'s document', () => {
		expect(parseBuildResult(doc())).toEqual({
			schema: 'left4me.build-result/1', overlay: 'maps', unit: 'left4me-build-maps.service', result: 'success', exitCode: 'exited',
			exitStatus: '0', cancelled: false, startedAtMs: 1000, finishedAtMs: 4500, durationMs: 3500, scriptSha256: SHA,
		});
	});

	it.each([
		['not JSON', '{"schema":'],
		['another schema', doc({schema: 'left4me.build-result/2'})],
		['a bad overlay name', doc({overlay: '../x'})],
		['no finish time', doc({finishedAtMs: 'soon'})],
		['an array', '[]'],
		['null', 'null'],
	])('returns null for %s', (_what, text) => {
		expect(parseBuildResult(text)).toBeNull();
	});

	it('keeps unknown start and status as null, drops a malformed sha256, derives the unit from the name', () => {
		const r = parseBuildResult(doc({startedAtMs: null, durationMs: null, exitCode: null, exitStatus: null, scriptSha256: 'xyz', unit: 'evil.service'}))!;
		expect([r.startedAtMs, r.durationMs, r.exitCode, r.exitStatus, r.scriptSha256, r.unit]).toEqual([null, null, null, null, null, 'left4me-build-maps.service']);
	});
});

describe('scriptExitStatus and describeResult', () => {
	it.each([
		[{}, 0, 'ok'],
		[{result: 'exit-code', exitStatus: '3'}, 3, 'failed (exit 3)'],
		[{result: 'timeout', exitCode: 'killed', exitStatus: 'TERM'}, 143, 'timeout'],
		[{result: 'success', exitCode: 'killed', exitStatus: 'TERM', cancelled: true}, 143, 'cancelled'],
		[{result: 'signal', exitCode: 'killed', exitStatus: 'KILL'}, 137, 'killed (KILL)'],
		[{result: 'core-dump', exitCode: 'dumped', exitStatus: 'SEGV'}, 139, 'killed (SEGV)'],
		[{result: 'resources', exitCode: null, exitStatus: null}, 1, 'failed (resources)'],
		[{result: 'signal', exitCode: 'killed', exitStatus: 'NOPE'}, 1, 'killed (NOPE)'],
	])('%j → exit %i, "%s"', (fields, status, words) => {
		expect(scriptExitStatus(parsed(fields))).toBe(status);
		expect(describeResult(parsed(fields))).toBe(words);
	});
});

const status = (unit: string, activeState: string, activeEnterMs: number | null = null): UnitStatus => ({
	unit, loadState: 'loaded', activeState, subState: '', result: 'success', unitFileState: '', restarts: null, mainPid: null, execMainStatus: null, activeEnterMs, controlGroup: '',
});

describe('buildBuildsDocument', () => {
	it('lists every overlay with a script or a result, sorted, with its state', () => {
		const d = buildBuildsDocument({
			nowMs: 0,
			scripts: ['zeta', 'maps'],
			results: new Map([['maps', parsed()], ['gone', parsed({overlay: 'gone'})]]),
			building: buildingFromStatuses(['zeta', 'maps', 'gone'], new Map([['left4me-build-zeta.service', status('left4me-build-zeta.service', 'active', 77)]])),
		});
		expect(d.schema).toBe('left4me.builds/1');
		expect(d.generatedAt).toBe('1970-01-01T00:00:00.000Z');
		expect(d.overlays.map((o) => [o.overlay, o.hasScript, o.state, o.buildingSinceMs, o.lastResult?.result ?? null])).toEqual([
			['gone', false, 'idle', null, 'success'],
			['maps', true, 'idle', null, 'success'],
			['zeta', true, 'building', 77, null],
		]);
	});

	it.each([
		['active', true], ['activating', true], ['deactivating', true], ['inactive', false], ['failed', false],
	])('isBuilding(%s) is %s', (state, building) => {
		expect(isBuilding(status('u', state))).toBe(building);
	});
});
