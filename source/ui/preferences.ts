/**
 * The dashboard's preferences: refresh interval, table columns, theme and sort,
 * kept with conf (https://github.com/sindresorhus/conf) in
 * `$XDG_CONFIG_HOME/left4me/dashboard.json` (default `~/.config/left4me/`),
 * or in `$LEFT4ME_CONFIG_DIR/dashboard.json`. The file is checked against a
 * JSON schema (conf validates with ajv); a file that is not JSON or breaks the
 * schema gives one warning line and the defaults, never a crash, and is left
 * as it is for the operator to fix.
 */
import Conf from 'conf';
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
	/** Stores some keys; returns a warning line when the file cannot be written, else null. */
	save: (patch: Partial<Preferences>) => string | null;
}>;

const FILE = 'dashboard';

/**
 * Reads the preferences. Never throws.
 * @param cwd directory of dashboard.json; conf's per-user config directory for `left4me` when undefined
 */
export function loadPreferences(cwd?: string): LoadedPreferences {
	let store: Conf<Partial<Preferences>>;
	try {
		store = new Conf<Partial<Preferences>>({
			projectName: 'left4me',
			projectSuffix: '',
			configName: FILE,
			cwd,
			// conf's type wants its own JSON-schema type; the literal above is valid JSON Schema.
			schema: PREFERENCES_SCHEMA as never,
			// Our schema is a constant (test/ui/preferences.test.tsx checks it against the draft-07
			// meta-schema); checking it on every start made ajv compile the meta-schema first,
			// about 60 ms before the first frame.
			ajvOptions: {validateSchema: false},
			clearInvalidConfig: false,
		});
	} catch (error) {
		const where = cwd ? `${cwd}/${FILE}.json` : `${FILE}.json in the left4me config directory`;
		const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
		return {preferences: DEFAULT_PREFERENCES, warning: `preferences ignored, using defaults: ${where}: ${why}`, save: () => null};
	}
	const stored = store.store;
	return {
		preferences: {...DEFAULT_PREFERENCES, ...stored},
		warning: null,
		save(patch) {
			try {
				store.set(patch);
				return null;
			} catch (error) {
				return `could not save preferences to ${store.path}: ${error instanceof Error ? error.message : String(error)}`;
			}
		},
	};
}
