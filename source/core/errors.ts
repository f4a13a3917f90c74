/**
 * Error kinds and exit codes: the one place they are defined (README, "Exit codes").
 * Errors carry an intent: the user can fix it (usage, not found, permission),
 * or an external operation failed (carrying its argv), or both.
 */

/** Error codes as they appear in `--json` error documents. */
export type ErrorCode = 'usage' | 'not_found' | 'permission' | 'failed' | 'partial' | 'conflict' | 'timeout';

/** Process exit status for each error code; 0 is success. */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
	failed: 1,
	usage: 2,
	not_found: 3,
	permission: 4,
	partial: 5,
	conflict: 6,
	timeout: 7,
};

/** An error meant for the operator: one clear line, an optional hint with next steps. */
export class Left4meError extends Error {
	/**
	 * @param code kind of failure; decides the exit status
	 * @param message one line, no trailing period needed
	 * @param hint what to do next, or undefined
	 * @param argv the external command that failed, when one did
	 */
	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly hint?: string,
		readonly argv?: readonly string[],
	) {
		super(message);
		this.name = 'Left4meError';
	}

	/** Exit status for this error (see {@link EXIT_CODES}). */
	get exitCode(): number {
		return EXIT_CODES[this.code];
	}
}

/** Converts anything thrown into a Left4meError (unknown errors become `failed`). */
export function asLeft4meError(error: unknown): Left4meError {
	if (error instanceof Left4meError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new Left4meError('failed', message.split('\n')[0] ?? 'unknown error');
}
