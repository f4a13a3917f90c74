/**
 * Lower-layer references in `L4D2_LOWERDIRS` (SPEC.md): relative to STATE
 * (`overlays/maps`) or absolute, and inside one of the allowed roots. This is
 * the lexical check; the system layer adds the realpath check, and the
 * overlay helper repeats both as root on its own.
 */
import {posix as path} from 'node:path';
import {ALLOWED_LAYER_ROOTS} from './paths.js';

/**
 * Normalises a layer reference to its form relative to STATE, or explains why it is refused.
 * @param state the data root (e.g. `/var/lib/left4me`)
 * @returns `{ok: 'overlays/maps'}` or `{error: 'one line'}`
 */
export function normalizeLayer(state: string, ref: string): {ok: string} | {error: string} {
	if (ref === '') return {error: 'layer is empty'};
	if (/[\s,:\\]/.test(ref) || /[\u0000-\u001f]/.test(ref)) return {error: `layer "${ref}" contains a space, ",", ":" or "\\"`};
	const absolute = ref.startsWith('/') ? path.normalize(ref) : path.normalize(path.join(state, ref));
	const relative = path.relative(state, absolute);
	if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
		return {error: `layer "${ref}" is outside ${state}`};
	}
	const [root, ...rest] = relative.split('/');
	if (!ALLOWED_LAYER_ROOTS.includes(root as (typeof ALLOWED_LAYER_ROOTS)[number])) {
		return {error: `layer "${ref}" is not under ${ALLOWED_LAYER_ROOTS.join(', ')}`};
	}
	if (root !== 'installation' && rest.length === 0) return {error: `layer "${ref}" names the root ${root}/ itself; name a directory in it`};
	return {ok: relative};
}
