/**
 * Resetting an instance: a fresh private upper layer under the same lower layers, the same
 * for `l4d2ctl reset` and the dashboard's `W`. Also names the real reason of a failed start.
 */
import {asLeft4meError, Left4meError} from '../core/errors.js';
import {parseJournalLine} from '../core/journal.js';
import {serverUnit} from '../core/paths.js';
import type {Host} from './host.js';
import {listUpperLayer} from './upper-layer.js';

/** What a reset reads and drives on the host. */
export type ResetHost = Pick<Host, 'instances' | 'units' | 'privileged' | 'paths'>;

/** The result of {@link resetInstance}, as `l4d2ctl reset --json` gives it. */
export type ResetResult = {restarted: boolean; discardedBytes: number; discardedEntries: number; tookMs: number};

/** ActiveStates in which a reset starts the server again afterwards. */
const RUNNING = new Set(['active', 'activating', 'reloading']);

/** True when a reset of a unit in this ActiveState starts it again afterwards. */
export function restartsAfterReset(activeState: string): boolean {
	return RUNNING.has(activeState);
}

/**
 * When a start failed, the reason is usually a line of left4me-overlay in the unit's
 * journal (bad layer, fuse-overlayfs xattrs); name it instead of systemctl's generic line.
 */
export async function explainStartFailure(host: Pick<Host, 'privileged'>, name: string, error: unknown): Promise<Left4meError> {
	const e = asLeft4meError(error);
	if (e.code !== 'failed') return e;
	// left4me-systemctl already said the start limit keeps the unit down: that is the reason.
	if (/start limit/.test(e.message)) return e;
	try {
		const lines = (await host.privileged.journal(name, {lines: 40})).split('\n');
		const helper = lines
			.map(parseJournalLine)
			.map((entry) => entry?.message ?? '')
			// Its success line ("mounted ...") explains nothing.
			.filter((m) => /^left4me-overlay: /.test(m) && !/^left4me-overlay: mounted /.test(m))
			.pop();
		if (helper) return new Left4meError('failed', `${name} did not start: ${helper}`, `see l4d2ctl logs ${name}`, e.argv);
	} catch {
		// the journal could not be read: keep systemctl's own line
	}
	return new Left4meError('failed', e.message, e.hint ?? `see l4d2ctl logs ${name}`, e.argv);
}

/** The unit's ActiveState, by one `systemctl show`. */
export async function activeState(host: Pick<Host, 'units'>, name: string): Promise<string> {
	const unit = serverUnit(name);
	return (await host.units.show([unit])).get(unit)?.activeState ?? 'unknown';
}

/**
 * Reset: stop (leaving the boot setting alone), wipe runtime/NAME/{upper,work} through
 * left4me-overlay, start again if it was running (the mount re-stages cfg/). A failed
 * instance is also reset-failed, so its restart counter and start limit begin anew.
 * @throws Left4meError('conflict') when the overlay is still mounted after the stop (busy)
 */
export async function resetInstance(host: ResetHost, name: string): Promise<ResetResult> {
	host.instances.read(name);
	const state = await activeState(host, name);
	const wasRunning = restartsAfterReset(state);
	const listing = listUpperLayer(host.paths, name);
	const started = Date.now();
	if (wasRunning) await host.privileged.systemctl('stop', name);
	try {
		await host.privileged.overlay('wipe', name);
	} catch (error) {
		const e = asLeft4meError(error);
		if (wasRunning) await host.privileged.systemctl('start', name).catch(() => undefined);
		if (e.code === 'conflict') {
			throw new Left4meError(
				'conflict',
				`cannot reset ${name}: its overlay is busy (runtime/${name}/merged is still mounted after the stop); nothing was discarded`,
				`find what holds it with: fuser -vm ${host.paths.runtime}/${name}/merged`,
				e.argv,
			);
		}
		throw e;
	}
	if (state === 'failed') await host.privileged.systemctl('reset-failed', name);
	if (wasRunning) {
		try {
			await host.privileged.systemctl('start', name);
		} catch (error) {
			throw await explainStartFailure(host, name, error);
		}
	}
	return {restarted: wasRunning, discardedBytes: listing.totalBytes, discardedEntries: listing.entries.length, tookMs: Date.now() - started};
}
