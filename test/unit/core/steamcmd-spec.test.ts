import {describe, expect, it} from 'vitest';
import {configOfSpec, specChanges} from '../../../source/core/instance-spec.js';
import {parseSteamcmdLine, progressBar, steamcmdArgv} from '../../../source/core/steamcmd.js';

describe('parseSteamcmdLine', () => {
	it.each([
		[' Update state (0x61) downloading, progress: 12.34 (123456789 / 1000000000)', {kind: 'progress', stateCode: '0x61', state: 'downloading', percent: 12.34, bytesDone: 123456789, bytesTotal: 1000000000}],
		[' Update state (0x5) verifying install, progress: 0.00 (0 / 8123)', {kind: 'progress', stateCode: '0x5', state: 'verifying install', percent: 0, bytesDone: 0, bytesTotal: 8123}],
		[' Update state (0x81) committing, progress: 100.00 (5 / 5)\r', {kind: 'progress', stateCode: '0x81', state: 'committing', percent: 100, bytesDone: 5, bytesTotal: 5}],
		[" Update state (0xAB) preallocating, progress: 3.5 (1 / 2)", {kind: 'progress', stateCode: '0xab', state: 'preallocating', percent: 3.5, bytesDone: 1, bytesTotal: 2}],
		["Success! App '222860' fully installed.", {kind: 'success', app: '222860', message: "Success! App '222860' fully installed."}],
		["Success! App '222860' already up to date.", {kind: 'success', app: '222860', message: "Success! App '222860' already up to date."}],
		["Error! App '222860' state is 0x202 after update job.", {kind: 'error', message: "Error! App '222860' state is 0x202 after update job."}],
		['ERROR! Failed to install app (No subscription)', {kind: 'error', message: 'ERROR! Failed to install app (No subscription)'}],
		['Loading Steam API...OK', {kind: 'other', message: 'Loading Steam API...OK'}],
		[' Update state (0x61) downloading, progress: abc (1 / 2)', {kind: 'other', message: 'Update state (0x61) downloading, progress: abc (1 / 2)'}],
		['', {kind: 'other', message: ''}],
	])('%j', (line, expected) => {
		expect(parseSteamcmdLine(line)).toEqual(expected);
	});
});

describe('steamcmdArgv and progressBar', () => {
	it('installs app 222860 anonymously into the given dir, validate only on request', () => {
		expect(steamcmdArgv('/usr/games/steamcmd', '/var/lib/left4me/installation', false)).toEqual([
			'/usr/games/steamcmd', '+force_install_dir', '/var/lib/left4me/installation', '+login', 'anonymous', '+app_update', '222860', '+quit',
		]);
		expect(steamcmdArgv('s', '/d', true)).toEqual(['s', '+force_install_dir', '/d', '+login', 'anonymous', '+app_update', '222860', 'validate', '+quit']);
	});

	it.each([
		[0, '[----------]   0.0%  0 B / 1 GiB  downloading'],
		[45, '[#####-----]  45.0%  0 B / 1 GiB  downloading'],
		[100, '[##########] 100.0%  0 B / 1 GiB  downloading'],
		[250, '[##########] 100.0%  0 B / 1 GiB  downloading'],
		[-3, '[----------]   0.0%  0 B / 1 GiB  downloading'],
	])('bar at %d%%', (percent, expected) => {
		expect(progressBar(percent, '0 B', '1 GiB', 'downloading', 10)).toBe(expected);
	});
});

describe('specChanges', () => {
	const spec = {port: 27015, layers: ['overlays/maps'], args: '+map c1m1_hotel', serverCfg: 'hostname "a"\n'};
	it('lists every field for a new instance', () => {
		expect(specChanges(spec, null, null)).toEqual([
			{field: 'port', from: null, to: 27015},
			{field: 'layers', from: null, to: ['overlays/maps', 'installation']},
			{field: 'args', from: null, to: '+map c1m1_hotel'},
			{field: 'serverCfg', from: null, to: 'hostname "a"\n'},
		]);
	});

	it('lists nothing when the instance already matches', () => {
		expect(specChanges(spec, configOfSpec(spec), 'hostname "a"\n')).toEqual([]);
	});

	it('lists only what differs; a spec without serverCfg leaves the file alone', () => {
		const current = {port: 27016, lowerdirs: ['overlays/maps', 'installation'], args: ''};
		expect(specChanges({port: 27015, layers: ['overlays/maps'], args: ''}, current, 'anything')).toEqual([{field: 'port', from: 27016, to: 27015}]);
		expect(specChanges({...spec, layers: []}, configOfSpec(spec), 'x')).toEqual([
			{field: 'layers', from: ['overlays/maps', 'installation'], to: ['installation']},
			{field: 'serverCfg', from: 'x', to: 'hostname "a"\n'},
		]);
	});
});
