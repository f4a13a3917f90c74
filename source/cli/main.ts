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
	// A reader that goes away early (`l4d2ctl logs -f | head`): end quietly with 0, as journalctl
	// does, instead of Node's unhandled 'error' event and its stack trace.
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(0);
		throw error;
	});
	const {main} = await import('./program.js');
	await main(argv);
}
