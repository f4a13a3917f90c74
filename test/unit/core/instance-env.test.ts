import {describe, expect, it} from 'vitest';
import {Left4meError} from '../../../source/core/errors.js';
import {formatInstanceConfig, isValidPort, parseEnvFile, parseInstanceConfig, type InstanceConfig} from '../../../source/core/instance-env.js';

describe('parseEnvFile', () => {
	it('reads KEY=VALUE lines, comments, blank lines and both quote styles', () => {
		const text = [
			'# left4me instance settings',
			'; another comment style',
			'',
			'L4D2_PORT=27015',
			'  L4D2_LOWERDIRS = overlays/maps:installation  ',
			'L4D2_ARGS="+map c1m1_hotel -tickrate 100"',
			"SINGLE='a \"b\" $c'",
			'ESCAPED="say \\"hi\\" \\\\ \\$HOME \\`x\\`"',
			'EMPTY=',
			'UNBALANCED="abc',
		].join('\n');
		const {values, problems} = parseEnvFile(text);
		expect(problems).toEqual([]);
		expect(Object.fromEntries(values)).toEqual({
			L4D2_PORT: '27015',
			L4D2_LOWERDIRS: 'overlays/maps:installation',
			L4D2_ARGS: '+map c1m1_hotel -tickrate 100',
			SINGLE: 'a "b" $c',
			ESCAPED: 'say "hi" \\ $HOME `x`',
			EMPTY: '',
			UNBALANCED: '"abc',
		});
	});

	it('reports garbage lines with their 1-based line numbers and keeps the good ones', () => {
		const {values, problems} = parseEnvFile('L4D2_PORT=27015\nthis is not a setting\n=nokey\n9KEY=x\nBAD KEY=1\nL4D2_ARGS=-nohltv\n');
		expect(problems).toEqual([
			'line 2: not a KEY=VALUE line',
			'line 3: not a KEY=VALUE line',
			'line 4: not a KEY=VALUE line',
			'line 5: not a KEY=VALUE line',
		]);
		expect(Object.fromEntries(values)).toEqual({L4D2_PORT: '27015', L4D2_ARGS: '-nohltv'});
	});

	it('lets a later line win over an earlier one', () => {
		expect(parseEnvFile('A=1\nA=2\n').values.get('A')).toBe('2');
	});
});

describe('parseInstanceConfig', () => {
	it('reads port, lowerdirs (top first) and args', () => {
		expect(parseInstanceConfig('L4D2_PORT=27016\nL4D2_LOWERDIRS=overlays/maps:workshop_cache/123:installation\nL4D2_ARGS="-tickrate 100"\n')).toEqual({
			port: 27016,
			lowerdirs: ['overlays/maps', 'workshop_cache/123', 'installation'],
			args: '-tickrate 100',
		});
	});

	it.each([
		['absent', 'L4D2_PORT=27015\n'],
		['empty', 'L4D2_PORT=27015\nL4D2_LOWERDIRS=\n'],
		['only colons', 'L4D2_PORT=27015\nL4D2_LOWERDIRS=::\n'],
	])('defaults lowerdirs to installation when %s', (_name, text) => {
		expect(parseInstanceConfig(text)).toEqual({port: 27015, lowerdirs: ['installation'], args: ''});
	});

	it('drops empty entries between colons', () => {
		expect(parseInstanceConfig('L4D2_PORT=27015\nL4D2_LOWERDIRS=overlays/a::installation:\n').lowerdirs).toEqual(['overlays/a', 'installation']);
	});

	it.each([
		['missing port', 'L4D2_ARGS=x\n', /L4D2_PORT must be a port number 1024-65535 \(found null\)/],
		['empty port', 'L4D2_PORT=\n', /found ""/],
		['privileged port', 'L4D2_PORT=80\n', /found "80"/],
		['too large', 'L4D2_PORT=65536\n', /found "65536"/],
		['not a number', 'L4D2_PORT=twentyseven\n', /found "twentyseven"/],
		['negative', 'L4D2_PORT=-27015\n', /found "-27015"/],
		['fraction', 'L4D2_PORT=27015.5\n', /found "27015.5"/],
		['hexadecimal', 'L4D2_PORT=0x6987\n', /found "0x6987"/],
		['decimal point', 'L4D2_PORT=27015.0\n', /found "27015.0"/],
		['exponent', 'L4D2_PORT=2.7e4\n', /found "2.7e4"/],
		['garbage line', 'L4D2_PORT=27015\n[Service]\n', /line 2: not a KEY=VALUE line/],
	])('throws failed for %s, naming the file', (_name, text, message) => {
		let thrown: unknown;
		try {
			parseInstanceConfig(text, '/var/lib/left4me/instances/alpha/instance.env');
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(Left4meError);
		expect((thrown as Left4meError).code).toBe('failed');
		expect((thrown as Left4meError).message).toMatch(/^\/var\/lib\/left4me\/instances\/alpha\/instance\.env: /);
		expect((thrown as Left4meError).message).toMatch(message);
	});
});

describe('isValidPort', () => {
	it.each([
		[1024, true],
		[27015, true],
		[65535, true],
		[1023, false],
		[65536, false],
		[0, false],
		[27015.5, false],
		[Number.NaN, false],
	])('%d -> %s', (port, expected) => {
		expect(isValidPort(port)).toBe(expected);
	});
});

describe('formatInstanceConfig', () => {
	it('writes the documented keys, args double-quoted', () => {
		const text = formatInstanceConfig({port: 27015, lowerdirs: ['overlays/maps', 'installation'], args: '+map c1m1_hotel'});
		expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
			'L4D2_PORT=27015',
			'L4D2_LOWERDIRS=overlays/maps:installation',
			'L4D2_ARGS="+map c1m1_hotel"',
			'',
		]);
		expect(text.startsWith('# ')).toBe(true);
	});

	it.each([
		{port: 27015, lowerdirs: ['installation'], args: ''},
		{port: 1024, lowerdirs: ['overlays/maps', 'global_overlay_cache/x', 'installation'], args: '+hostname "My \\"best\\" server" $HOME `id` \\n'},
		{port: 65535, lowerdirs: ['/var/lib/left4me/overlays/a'], args: "it's -tickrate 100 ; # not a comment"},
	] satisfies InstanceConfig[])('round-trips %j', (config) => {
		expect(parseInstanceConfig(formatInstanceConfig(config))).toEqual(config);
	});
});
