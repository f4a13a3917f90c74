/**
 * The dashboard's preferences: refresh interval, table columns, theme and sort,
 * kept with conf (https://github.com/sindresorhus/conf) in
 * `$XDG_CONFIG_HOME/left4me/dashboard.json` (default `~/.config/left4me/`),
 * or in `$LEFT4ME_CONFIG_DIR/dashboard.json`. The file is checked against a
 * JSON schema (conf validates with ajv); a file that is not JSON or breaks the
 * schema gives one warning line and the defaults, never a crash, and is left
 * as it is for the operator to fix.
 *
 * conf (with ajv) is loaded only when there is a file to read or a change to
 * store: without a file the dashboard starts about 40 ms sooner.
 */
import {existsSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import type Conf from 'conf';
import {SORT_COLUMNS, type Sort} from './table-view.js';

/** Table columns that can be hidden (name and state are always shown). */
export const OPTIONAL_COLUMNS = ['players', 'map', 'boot', 'port', 'uptime', 'restarts', 'cpu', 'trend', 'memory'] as const;

/** Theme choice: `auto` follows NO_COLOR. */
export type ThemeChoice = 'auto' | 'colour' | 'plain';

/** The preferences. */
export type Preferences = Readonly<{
	/** Snapshot interval, ms; `--refresh` wins over it. */
	refreshMs: number;
	/** Optional columns shown, in any order. */
	columns: readonly (typeof OPTIONAL_COLUMNS)[number][];
	theme: ThemeChoice;
	sort: Sort;
}>;

/** Preferences when the file is absent or broken. */
export const DEFAULT_PREFERENCES: Preferences = {refreshMs: 1000, columns: [...OPTIONAL_COLUMNS], theme: 'auto', sort: {column: 'name', reversed: false}};

/** The JSON schema of each key (conf's `schema` option). */
export const PREFERENCES_SCHEMA = {
	refreshMs: {type: 'integer', minimum: 100, maximum: 3_600_000},
	columns: {type: 'array', items: {enum: [...OPTIONAL_COLUMNS]}, uniqueItems: true},
	theme: {enum: ['auto', 'colour', 'plain']},
	sort: {
		type: 'object',
		properties: {column: {enum: [...SORT_COLUMNS]}, reversed: {type: 'boolean'}},
		required: ['column', 'reversed'],
		additionalProperties: false,
	},
} as const;

/** Loaded preferences, a warning when the file could not be used, and a way to store a change. */
export type LoadedPreferences = Readonly<{
	preferences: Preferences;
	/** One line naming the file and the problem, or null. */
	warning: string | null;
	/** Stores some keys; resolves to a warning line when the file cannot be written, else null. Never rejects. */
	save: (patch: Partial<Preferences>) => Promise<string | null>;
}>;

const FILE = 'dashboard';

/**
 * The directory of dashboard.json: `$LEFT4ME_CONFIG_DIR`, else `$XDG_CONFIG_HOME/left4me`,
 * else `~/.config/left4me` (the XDG Base Directory specification's default).
 */
export function preferencesDir(env: NodeJS.ProcessEnv = process.env): string {
	if (env.LEFT4ME_CONFIG_DIR) return env.LEFT4ME_CONFIG_DIR;
	return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'left4me');
}

/** Opens the store in `dir` (reads and checks the file if there is one). @throws Error from conf: unreadable, not JSON, schema violation */
async function openStore(dir: string): Promise<Conf<Partial<Preferences>>> {
	const {default: Store} = await import('conf');
	return new Store<Partial<Preferences>>({
		projectName: 'left4me',
		projectSuffix: '',
		configName: FILE,
		cwd: dir,
		// conf's type wants its own JSON-schema type; the literal above is valid JSON Schema.
		schema: PREFERENCES_SCHEMA as never,
		// Our schema is a constant (test/ui/preferences.test.tsx checks it against the draft-07
		// meta-schema); checking it on every start made ajv compile the meta-schema first,
		// about 60 ms before the first frame.
		ajvOptions: {validateSchema: false},
		clearInvalidConfig: false,
	});
}

/** conf's message as one line. */
function oneLine(error: unknown): string {
	return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}

/**
 * Reads the preferences. Never rejects.
 * @param dir directory of dashboard.json ({@link preferencesDir} by default)
 */
export async function loadPreferences(dir = preferencesDir()): Promise<LoadedPreferences> {
	const file = join(dir, `${FILE}.json`);
	let store: Promise<Conf<Partial<Preferences>>> | null = null;
	const save = async (patch: Partial<Preferences>): Promise<string | null> => {
		try {
			(await (store ??= openStore(dir))).set(patch);
			return null;
		} catch (error) {
			return `could not save preferences to ${file}: ${oneLine(error)}`;
		}
	};
	if (!existsSync(file)) return {preferences: DEFAULT_PREFERENCES, warning: null, save};
	try {
		store = openStore(dir);
		return {preferences: {...DEFAULT_PREFERENCES, ...(await store).store}, warning: null, save};
	} catch (error) {
		return {preferences: DEFAULT_PREFERENCES, warning: `preferences ignored, using defaults: ${file}: ${oneLine(error)}`, save: async () => null};
	}
}
