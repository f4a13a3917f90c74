/**
 * The one writer of results and errors. Results go to stdout (one JSON document,
 * or NDJSON lines for streams); messages and errors to stderr. Exit statuses
 * come from core/errors.ts.
 */
import {asLeft4meError, type Left4meError} from '../core/errors.js';

/** Version of the error document printed on stderr with `--json`. */
export const ERROR_SCHEMA = 'left4me.error/1';

/** Writes one JSON document (pretty) followed by a newline to stdout. */
export function writeJson(document: unknown): void {
	process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

/** Writes one NDJSON line to stdout. */
export function writeJsonLine(record: unknown): void {
	process.stdout.write(`${JSON.stringify(record)}\n`);
}

/**
 * Reports an error on stderr: `l4d2ctl: MESSAGE (hint: HINT)` on one line, or with
 * `json`, `{"schema","error":{"code","message","hint"}}`.
 * @returns the exit status to use
 */
export function reportError(error: unknown, json: boolean): number {
	const e: Left4meError = asLeft4meError(error);
	if (json) {
		process.stderr.write(`${JSON.stringify({schema: ERROR_SCHEMA, error: {code: e.code, message: e.message, hint: e.hint ?? null}})}\n`);
	} else {
		process.stderr.write(`l4d2ctl: ${e.message}${e.hint ? ` (hint: ${e.hint})` : ''}\n`);
	}
	return e.exitCode;
}
