/**
 * Validation of real l4d2ctl outputs against the JSON Schema files in source/schemas,
 * shared by the unit and system tests. Tests name schemas through these functions, so
 * test/unit/cli/schema-coverage.test.ts can tell which schema files a test uses.
 */
import {expect} from 'vitest';
import {validatorFor} from '../../source/cli/schemas.js';

/** Asserts `doc` validates against the schema with $id `id` (e.g. `left4me.list/1`); returns it typed as T. */
export function expectValid<T = any>(id: string, doc: unknown): T {
	const validate = validatorFor(id);
	const ok = validate(doc);
	expect(ok ? [] : validate.errors, `${id}: ${JSON.stringify(doc).slice(0, 300)}`).toEqual([]);
	return doc as T;
}

/** Parses one JSON document of stdout and validates it against `id`. */
export function expectValidJson<T = any>(id: string, text: string): T {
	return expectValid<T>(id, JSON.parse(text));
}

/** The non-empty lines of NDJSON output, parsed (not yet validated). */
export function ndjson(text: string): unknown[] {
	return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
}
