/**
 * Resetting an instance: a fresh private upper layer under the same lower layers.
 */
import type {Privileged} from './privileged.js';

/** Steps of a reset, in order, for progress reports. */
export type ResetStep = 'stop' | 'wipe' | 'start';

/**
 * Resets one instance: for a failed unit, clear its failed state first (`left4me-systemctl
 * reset-failed NAME`: a unit stopped by its start limit refuses every start until then,
 * systemd.unit(5) StartLimitIntervalSec=; on a unit that is not failed, and so maybe not
 * loaded, systemctl refuses it), stop it (`left4me-systemctl disable NAME`, i.e. disable
 * --now, so the unit's ExecStopPost unmounts the overlay), wipe runtime/NAME/upper and work
 * (`left4me-overlay wipe NAME`, which refuses while the overlay is mounted), then start it again
 * (`left4me-systemctl enable NAME`). A failing step stops the reset there and its error is thrown:
 * after a failed wipe the instance is left stopped, so nothing runs on a half-wiped layer.
 * @param failed the unit is in the failed state (ActiveState=failed)
 * @param onStep called before each step
 * @throws Left4meError from the failing helper (permission, not_found, conflict, failed)
 */
export async function resetInstance(privileged: Privileged, name: string, failed = false, onStep: (step: ResetStep) => void = () => {}): Promise<void> {
	onStep('stop');
	if (failed) await privileged.systemctl('reset-failed', name);
	await privileged.systemctl('disable', name);
	onStep('wipe');
	await privileged.overlay('wipe', name);
	onStep('start');
	await privileged.systemctl('enable', name);
}
