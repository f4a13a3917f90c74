/**
 * Shaping state through `left4me-apply-cake show` (the helper runs tc(8) as root).
 */
import {parseShapingShow, type InterfaceShaping} from '../core/shaping.js';
import type {Privileged} from './privileged.js';

/**
 * Reads the root qdisc of every interface but lo (or of one).
 * @throws Left4meError (permission when the sudo rule is missing, not_found for an unknown interface)
 */
export async function readShaping(privileged: Privileged, iface?: string): Promise<InterfaceShaping[]> {
	const {stdout} = await privileged.run('left4me-apply-cake', iface ? ['show', iface] : ['show'], 15_000);
	return parseShapingShow(stdout);
}
