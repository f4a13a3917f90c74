/**
 * Calls the privileged helpers through `sudo -n` (sudo(8): `-n` never prompts,
 * so a missing rule is an error, not a password prompt that breaks the screen).
 * When l4d2ctl already runs as root the helper is called directly.
 */
import {Left4meError, type ErrorCode} from '../core/errors.js';
import {helperPath, type HelperName, type Paths} from '../core/paths.js';
import type {ProcessRunner, StreamHandle} from './runner.js';
import {firstLine} from './systemd.js';

/** Verbs of `left4me-systemctl`. */
export type SystemctlVerb = 'enable' | 'disable' | 'start' | 'stop' | 'restart' | 'reset-failed';

/** Verbs of `left4me-overlay` l4d2ctl calls (mount/umount belong to the unit). */
export type OverlayVerb = 'wipe' | 'purge';

/** Options of `left4me-journalctl`. */
export type JournalOptions = Readonly<{lines?: number; follow?: boolean; afterCursor?: string; since?: string}>;

/** The privileged operations l4d2ctl may ask for. */
export interface Privileged {
	/** Runs `left4me-systemctl VERB NAME`. @throws Left4meError (permission, not_found, usage, failed) */
	systemctl(verb: SystemctlVerb, name: string): Promise<void>;
	/** Runs `left4me-overlay VERB NAME`. @throws Left4meError (permission; conflict while mounted; usage; failed) */
	overlay(verb: OverlayVerb, name: string): Promise<void>;
	/** Runs `left4me-journalctl TARGET ...` to completion and returns its JSON lines. @throws Left4meError */
	journal(target: string, options: JournalOptions): Promise<string>;
	/** Starts `left4me-journalctl TARGET --follow ...`; chunks of JSON lines go to onChunk. */
	followJournal(target: string, options: JournalOptions, onChunk: (text: string) => void): StreamHandle;
	/**
	 * Runs any helper with these arguments to completion.
	 * @returns its stdout and stderr (notes such as "nothing to do") when it exited 0
	 * @throws Left4meError (permission, not_found, usage, conflict, failed) carrying the argv
	 */
	run(helper: HelperName, args: readonly string[], timeoutMs?: number): Promise<{stdout: string; stderr: string}>;
	/** Maps a finished helper run to an error, or null when it succeeded (exported for stream callers). */
	errorOf(helper: HelperName, exitCode: number | null, stderr: string): Left4meError | null;
}

/** Helper exit statuses (helpers/*, "exit codes") mapped to l4d2ctl's error codes. */
const HELPER_EXIT: Readonly<Record<number, ErrorCode>> = {1: 'failed', 2: 'usage', 3: 'not_found', 4: 'conflict'};

/** The sudoers line that lets the `left4me` group run one helper (deploy/install.sh writes these). */
export function sudoRuleFor(paths: Paths, helper: HelperName): string {
	return `%left4me ALL=(root) NOPASSWD: ${helperPath(paths, helper)}`;
}

/**
 * Creates the helper client.
 * @param asRoot true when this process is root (no sudo); default from process.getuid()
 */
export function createPrivileged(runner: ProcessRunner, paths: Paths, asRoot = process.getuid?.() === 0): Privileged {
	/** argv that runs a helper: `sudo -n -- HELPER ARGS...`, or the helper itself as root. */
	const argvFor = (helper: HelperName, args: readonly string[]) =>
		asRoot ? [helperPath(paths, helper), ...args] : ['sudo', '-n', '--', helperPath(paths, helper), ...args];

	const errorOf = (helper: HelperName, exitCode: number | null, stderr: string): Left4meError | null => {
		if (exitCode === 0) return null;
		const line = firstLine(stderr);
		if (!asRoot && /^sudo:|is not allowed to execute|a password is required/m.test(stderr)) {
			return new Left4meError(
				'permission',
				`missing sudo rule for ${helper}: ${line}`,
				`add "${sudoRuleFor(paths, helper)}" to /etc/sudoers.d/left4me (deploy/install.sh writes it), and run l4d2ctl as a member of the left4me group`,
			);
		}
		const code = exitCode === null ? 'failed' : (HELPER_EXIT[exitCode] ?? 'failed');
		return new Left4meError(code, line.startsWith(helper) ? line : `${helper}: ${line}`);
	};

	const journalArgs = (target: string, o: JournalOptions) => [
		target,
		...(o.lines === undefined ? [] : ['--lines', String(o.lines)]),
		...(o.afterCursor ? ['--after-cursor', o.afterCursor] : []),
		...(o.since ? ['--since', o.since] : []),
		...(o.follow ? ['--follow'] : []),
	];

	return {
		async systemctl(verb, name) {
			const argv = argvFor('left4me-systemctl', [verb, name]);
			const result = await runner.run(argv, {timeoutMs: 60_000});
			const error = errorOf('left4me-systemctl', result.exitCode, result.stderr);
			if (error) throw new Left4meError(error.code, error.message, error.hint, argv);
		},
		async overlay(verb, name) {
			const argv = argvFor('left4me-overlay', [verb, name]);
			const result = await runner.run(argv, {timeoutMs: 120_000});
			const error = errorOf('left4me-overlay', result.exitCode, result.stderr);
			if (error) throw new Left4meError(error.code, error.message, error.hint, argv);
		},
		async journal(target, options) {
			const argv = argvFor('left4me-journalctl', journalArgs(target, {...options, follow: false}));
			const result = await runner.run(argv, {timeoutMs: 30_000});
			const error = errorOf('left4me-journalctl', result.exitCode, result.stderr);
			if (error) throw new Left4meError(error.code, error.message, error.hint, argv);
			return result.stdout;
		},
		async run(helper, args, timeoutMs = 60_000) {
			const argv = argvFor(helper, args);
			const result = await runner.run(argv, {timeoutMs});
			const error = errorOf(helper, result.exitCode, result.stderr);
			if (error) throw new Left4meError(error.code, error.message, error.hint, argv);
			return {stdout: result.stdout, stderr: result.stderr};
		},
		followJournal(target, options, onChunk) {
			return runner.stream(argvFor('left4me-journalctl', journalArgs(target, {...options, follow: true})), onChunk);
		},
		errorOf,
	};
}
