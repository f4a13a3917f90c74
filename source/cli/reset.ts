/**
 * `reset --dry-run`: what a reset (system/reset.ts) would discard, changing nothing.
 */
import {serverUnit} from '../core/paths.js';
import type {Host} from '../system/host.js';
import {activeState, restartsAfterReset} from '../system/reset.js';
import {listUpperLayer} from '../system/upper-layer.js';

/** Version of `reset --dry-run`. */
export const RESET_PLAN_SCHEMA = 'left4me.reset-plan/1';

type Extra = Record<string, unknown>;

/** `reset NAME --dry-run`: what would be discarded, changing nothing. */
export async function resetPlan(host: Host, name: string): Promise<Extra> {
	host.instances.read(name);
	const listing = listUpperLayer(host.paths, name);
	return {
		schema: RESET_PLAN_SCHEMA,
		instance: name,
		unit: serverUnit(name),
		upper: listing.upper,
		wouldRestart: restartsAfterReset(await activeState(host, name)),
		entries: listing.entries,
		totalBytes: listing.totalBytes,
		unreadable: listing.unreadable,
	};
}
