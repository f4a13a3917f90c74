/**
 * steamcmd's console output (the Steam console client, https://developer.valvesoftware.com/wiki/SteamCMD).
 * Pure: classifies one line. Progress lines look like
 * ` Update state (0x61) downloading, progress: 12.34 (123456789 / 1000000000)`;
 * the end is `Success! App '222860' fully installed.` or
 * `Error! App '222860' state is 0x202 after update job.`
 */

/** The Left 4 Dead 2 Dedicated Server app id. */
export const L4D2_APP_ID = '222860';

/** One classified line of steamcmd output. */
export type SteamcmdLine =
	| Readonly<{kind: 'progress'; stateCode: string; state: string; percent: number; bytesDone: number; bytesTotal: number}>
	| Readonly<{kind: 'success'; app: string; message: string}>
	| Readonly<{kind: 'error'; message: string}>
	| Readonly<{kind: 'other'; message: string}>;

const PROGRESS = /^\s*Update state \((0x[0-9a-fA-F]+)\) ([A-Za-z ]+?), progress: (\d+(?:\.\d+)?) \((\d+) \/ (\d+)\)\s*$/;
const SUCCESS = /^\s*Success! App '(\d+)' (fully installed|already up to date)\.?\s*$/;
const ERROR = /^\s*(Error!|ERROR!|FAILED) /;

/** Classifies one line (without its newline). */
export function parseSteamcmdLine(line: string): SteamcmdLine {
	const p = PROGRESS.exec(line);
	if (p) {
		return {kind: 'progress', stateCode: p[1]!.toLowerCase(), state: p[2]!, percent: Number(p[3]), bytesDone: Number(p[4]), bytesTotal: Number(p[5])};
	}
	const s = SUCCESS.exec(line);
	if (s) return {kind: 'success', app: s[1]!, message: line.trim()};
	if (ERROR.test(line)) return {kind: 'error', message: line.trim()};
	return {kind: 'other', message: line.trim()};
}

/**
 * argv of an install or update of app 222860 into `dir` (steamcmd's `+command` syntax).
 * @param validate also check every installed file (slow; repairs a damaged install)
 */
export function steamcmdArgv(steamcmd: string, dir: string, validate: boolean): string[] {
	return [steamcmd, '+force_install_dir', dir, '+login', 'anonymous', '+app_update', L4D2_APP_ID, ...(validate ? ['validate'] : []), '+quit'];
}

/**
 * A one-line text progress bar, e.g. `[#########-----------]  45.0%  450.0 MB / 1.0 GB  downloading`.
 * @param width number of cells between the brackets
 */
export function progressBar(percent: number, done: string, total: string, state: string, width = 30): string {
	const clamped = Math.max(0, Math.min(100, percent));
	const filled = Math.round((clamped / 100) * width);
	return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${clamped.toFixed(1).padStart(5)}%  ${done} / ${total}  ${state}`;
}
