import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Ajv} from 'ajv';
import {DEFAULT_PREFERENCES, loadPreferences, preferencesDir, PREFERENCES_SCHEMA} from '../../source/ui/preferences.js';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'left4me-prefs-'));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const file = () => join(dir, 'dashboard.json');

describe('preferences', () => {
	it('its schema is valid draft-07 JSON Schema (conf is told not to check it on every start)', () => {
		const ajv = new Ajv({strict: true, allowUnionTypes: true});
		const root = {type: 'object', properties: PREFERENCES_SCHEMA};
		expect(ajv.validateSchema(root)).toBe(true);
		expect(ajv.errors ?? null).toBeNull();
		expect(ajv.validateSchema({type: 'object', properties: {refreshMs: {type: 'integr'}}})).toBe(false);
	});

	it('lives in $LEFT4ME_CONFIG_DIR, else $XDG_CONFIG_HOME/left4me, else ~/.config/left4me', () => {
		expect(preferencesDir({LEFT4ME_CONFIG_DIR: '/srv/prefs', XDG_CONFIG_HOME: '/x'})).toBe('/srv/prefs');
		expect(preferencesDir({XDG_CONFIG_HOME: '/x'})).toBe('/x/left4me');
		expect(preferencesDir({})).toBe(join(homedir(), '.config', 'left4me'));
	});

	it('defaults when there is no file, and writes none', async () => {
		const loaded = await loadPreferences(dir);
		expect(loaded).toMatchObject({preferences: DEFAULT_PREFERENCES, warning: null});
		expect(() => readFileSync(file())).toThrow();
	});

	it('reads a valid file over the defaults', async () => {
		writeFileSync(file(), JSON.stringify({refreshMs: 2500, columns: ['cpu', 'memory'], theme: 'plain'}));
		expect(await loadPreferences(dir)).toMatchObject({
			preferences: {refreshMs: 2500, columns: ['cpu', 'memory'], theme: 'plain', sort: {column: 'name', reversed: false}},
			warning: null,
		});
	});

	it.each([
		['not JSON', '{"refreshMs": 10', /dashboard\.json: .*JSON/],
		['a schema violation', JSON.stringify({refreshMs: 5}), /dashboard\.json: Config schema violation: .*refreshMs/],
		['an unknown column', JSON.stringify({columns: ['cpu', 'colour']}), /dashboard\.json: Config schema violation: .*columns/],
		['a bad sort', JSON.stringify({sort: {column: 'size', reversed: false}}), /Config schema violation: .*sort/],
	])('a file with %s gives one warning line and the defaults, and is left as it was', async (_name, text, warning) => {
		writeFileSync(file(), text);
		const loaded = await loadPreferences(dir);
		expect(loaded.preferences).toEqual(DEFAULT_PREFERENCES);
		expect(loaded.warning).toMatch(/^preferences ignored, using defaults: /);
		expect(loaded.warning).toMatch(warning);
		expect(loaded.warning).not.toContain('\n');
		expect(readFileSync(file(), 'utf8')).toBe(text);
	});

	it('stores a changed sort, and reports a file it cannot write instead of throwing', async () => {
		const loaded = await loadPreferences(dir);
		expect(await loaded.save({sort: {column: 'cpu', reversed: true}})).toBeNull();
		expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({sort: {column: 'cpu', reversed: true}});
		expect((await loadPreferences(dir)).preferences.sort).toEqual({column: 'cpu', reversed: true});
		if (process.getuid?.() !== 0) {
			chmodSync(file(), 0o444);
			expect(await loaded.save({theme: 'plain'})).toMatch(/^could not save preferences to /);
		}
	});
});
