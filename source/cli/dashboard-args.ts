/**
 * The dashboard's command line: `l4d2ctl [--read-only] [--refresh MS]`. Pure.
 * main.ts uses {@link dashboardArgs} to open the dashboard without loading the
 * headless commands; anything it does not recognise goes to commander (program.ts),
 * which reports usage errors and help the same way for every command.
 */
import {parseCount} from './numbers.js';

/** The options of a plain dashboard start. */
export type DashboardArgs = Readonly<{readOnly: boolean; refresh?: string}>;

/** Longest refresh interval, ms (one hour). */
export const MAX_REFRESH_MS = 3_600_000;

/**
 * Recognises a plain dashboard start.
 * @param argv arguments after the program name
 * @returns the options, or null when argv holds anything else (a command, --help, a typo, a repeated option)
 */
export function dashboardArgs(argv: readonly string[]): DashboardArgs | null {
	let readOnly = false;
	let refresh: string | undefined;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '--read-only' && !readOnly) readOnly = true;
		else if (arg === '--refresh' && refresh === undefined && i + 1 < argv.length) refresh = argv[++i];
		else if (arg.startsWith('--refresh=') && refresh === undefined) refresh = arg.slice('--refresh='.length);
		else return null;
	}
	return {readOnly, ...(refresh === undefined ? {} : {refresh})};
}

/**
 * The refresh interval from `--refresh`, ms; undefined (the preferences decide) when not given; 0 means 1000.
 * @throws Left4meError('usage') when it is not a whole number 0-3600000
 */
export function parseRefresh(text: string | undefined): number | undefined {
	return text === undefined ? undefined : parseCount('--refresh', text, MAX_REFRESH_MS) || 1000;
}
