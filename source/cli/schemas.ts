/**
 * The JSON Schema files of the headless contract (source/schemas/*.schema.json,
 * copied to dist/schemas by `npm run build`). l4d2ctl validates its INPUT with
 * them (the instance spec); the tests validate every output against them.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {Ajv, type ValidateFunction} from 'ajv';

/** Directory holding the schema files (dist/schemas next to dist/cli, or source/schemas in tests). */
export const SCHEMA_DIR = new URL('../schemas/', import.meta.url);

let ajv: Ajv | undefined;

/** One Ajv (draft-07) with every schema file loaded, so `$ref: "left4me.list/1#..."` resolves. */
export function schemaRegistry(): Ajv {
	if (ajv) return ajv;
	ajv = new Ajv({allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true});
	for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort()) {
		ajv.addSchema(JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')) as object);
	}
	return ajv;
}

/**
 * The validator of a schema by its id, e.g. `left4me.list/1`.
 * @throws Error when no schema has that id
 */
export function validatorFor(id: string): ValidateFunction {
	const validate = schemaRegistry().getSchema(id);
	if (!validate) throw new Error(`no JSON schema with $id ${id}`);
	return validate;
}

/** Ajv's errors as one line, e.g. `/port must be integer; /layers/0 must be string`. */
export function errorsText(validate: ValidateFunction): string {
	return (validate.errors ?? [])
		.map((e) => {
			const extra = typeof e.params.additionalProperty === 'string' ? ` ("${e.params.additionalProperty}")` : '';
			return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${extra}`;
		})
		.join('; ');
}
