/**
 * Names of instances and overlays (SPEC.md: `^[a-z0-9][a-z0-9_-]{0,31}$`).
 * The helpers check the same pattern on their own; this copy gives the CLI an
 * early, friendly error.
 */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** True when `name` is a valid instance or overlay name. */
export function isValidName(name: string): boolean {
	return NAME_PATTERN.test(name);
}

/**
 * Explains why a name is invalid, or returns null when it is valid.
 * @returns one sentence for an error line
 */
export function nameProblem(name: string): string | null {
	if (name.length === 0) return 'name is empty';
	if (name.length > 32) return `name is ${name.length} characters long; at most 32 are allowed`;
	if (!NAME_PATTERN.test(name)) return `"${name}" may use only a-z, 0-9, "_" and "-", and must start with a letter or digit`;
	return null;
}
