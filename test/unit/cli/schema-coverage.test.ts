// Every JSON Schema file in source/schemas is used by at least one test that validates a
// real document against it (a call like expectValid('left4me.x/1', ...) in a test file),
// so a schema cannot be added, or a command's schema dropped from its tests, unnoticed.
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const PROJECT = fileURLToPath(new URL('../../../', import.meta.url));
const SCHEMAS = join(PROJECT, 'source/schemas');
const SELF = fileURLToPath(import.meta.url);

/** Test files (*.test.ts, *.test.tsx) under test/, recursively. */
function testFiles(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
		const path = join(dir, e.name);
		if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'fixtures' ? [] : testFiles(path);
		return /\.test\.tsx?$/.test(e.name) && path !== SELF ? [path] : [];
	});
}

/** A validating call naming the schema id as its first argument (generic type arguments allowed). */
function validates(text: string, id: string): boolean {
	const quoted = `'${id}'`;
	return text.split('\n').some((line) => /\b(expectValid|expectValidJson|valid|validatorFor)\b/.test(line) && line.includes(`(${quoted}`));
}

const schemaIds = readdirSync(SCHEMAS)
	.filter((f) => f.endsWith('.schema.json'))
	.sort()
	.map((file) => [file, (JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as {$id: string}).$id] as const);
const tests = testFiles(join(PROJECT, 'test')).map((path) => ({path: relative(PROJECT, path), text: readFileSync(path, 'utf8')}));

describe('every schema in source/schemas is validated against by a test', () => {
	it('finds the schema files and the test files', () => {
		expect(schemaIds.length).toBeGreaterThanOrEqual(15);
		expect(tests.map((t) => t.path)).toContain('test/unit/cli/contract.test.ts');
	});

	it('recognises a validating call and nothing else', () => {
		expect(validates("const d = expectValidJson<{a: 1}>('left4me.x/1', out);", 'left4me.x/1')).toBe(true);
		expect(validates("valid<{r: Array<{a: 1}>}>('left4me.x/1', doc)", 'left4me.x/1')).toBe(true);
		expect(validates("expect(doc.schema).toBe('left4me.x/1');", 'left4me.x/1')).toBe(false);
		expect(validates("expectValid('left4me.x/10', doc)", 'left4me.x/1')).toBe(false);
	});

	it.each(schemaIds)('%s (%s)', (_file, id) => {
		const users = tests.filter((t) => validates(t.text, id)).map((t) => t.path);
		expect(users, `no test validates a document against ${id}`).not.toEqual([]);
	});
});
