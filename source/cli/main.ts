/**
 * The `l4d2ctl` entry. A plain dashboard start on a terminal (`l4d2ctl`,
 * `--read-only`, `--refresh MS`) opens the dashboard at once: commander and
 * the headless commands (program.ts and what only it imports, a chunk of their
 * own in the bundle) are not loaded, which keeps them out of the time to the
 * first frame. Everything else, --help and usage errors included, goes to
 * program.ts.
 */
import {dashboardArgs} from './dashboard-args.js';

const argv = process.argv.slice(2);
const dashboard = process.stdout.isTTY && process.stdin.isTTY ? dashboardArgs(argv) : null;
if (dashboard) {
	const {openDashboard} = await import('./dashboard-entry.js');
	await openDashboard(dashboard);
} else {
	const {main} = await import('./program.js');
	await main(argv);
}
