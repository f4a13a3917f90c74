/**
 * Opens the dashboard for a plain `l4d2ctl [--read-only] [--refresh MS]` on a
 * terminal, the way program.ts would, but without loading commander and the
 * headless commands first.
 */
import {createHost} from '../system/host.js';
import {parseRefresh, type DashboardArgs} from './dashboard-args.js';
import {reportError} from './output.js';

/** Runs the dashboard until the operator quits; sets process.exitCode (2 for a bad --refresh). */
export async function openDashboard(args: DashboardArgs): Promise<void> {
	try {
		const refreshMs = parseRefresh(args.refresh);
		const {runDashboard} = await import('../ui/run-dashboard.js');
		await runDashboard(createHost(), {refreshMs, readOnly: args.readOnly});
	} catch (error) {
		process.exitCode = reportError(error, false);
	}
}
