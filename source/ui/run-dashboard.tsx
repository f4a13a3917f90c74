/**
 * Entry point of the interactive dashboard (`l4d2ctl` with no arguments on a TTY).
 */
import {render} from 'ink';
import type {Host} from '../system/host.js';
import {App} from './app.js';
import {loadPreferences} from './preferences.js';
import {plainTheme, colourTheme, themeFor} from './theme.js';

/** Options of {@link runDashboard}. */
export type DashboardOptions = Readonly<{
	/** Snapshot interval, ms; the preferences' (default 1000) when undefined. */
	refreshMs?: number;
	/** No key acts on the host (wall dashboards). */
	readOnly: boolean;
}>;

/** Alternate screen buffer on/off (xterm; tmux supports it): the shell's screen comes back on quit. */
const ENTER_ALT_SCREEN = '\u001B[?1049h';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';

/**
 * Ink's render options for the dashboard. Not `incrementalRendering`: in Ink
 * 6.8 it moves the cursor up one line too few before redrawing a frame that
 * ends in a newline (every frame shorter than the screen), so each redraw
 * lands one row lower and leaves the previous first line behind (seen in
 * tmux as a stale "collecting…" line and a doubled header). The standard
 * renderer erases the whole previous frame first; test/ui/tty.test.ts checks
 * the screen in a real tmux.
 */
export const INK_OPTIONS = {exitOnCtrlC: false, incrementalRendering: false} as const;

/**
 * Renders the dashboard on process.stdout/stdin until the operator quits (q or Ctrl-C).
 * Call only when stdin and stdout are TTYs. Colour follows NO_COLOR.
 * @returns resolves when the dashboard has exited and the terminal is restored
 */
export async function runDashboard(host: Host, options: DashboardOptions): Promise<void> {
	const loaded = await loadPreferences();
	const prefs = loaded.preferences;
	// NO_COLOR wins over a colour preference (https://no-color.org).
	const theme = prefs.theme === 'auto' || themeFor(process.env) === plainTheme ? themeFor(process.env) : prefs.theme === 'plain' ? plainTheme : colourTheme;
	const warning = loaded.warning ? {tone: 'error' as const, text: loaded.warning, hint: 'fix or remove the file; see README, "Preferences"'} : null;
	process.stdout.write(ENTER_ALT_SCREEN);
	try {
		const instance = render(
			<App
				host={host}
				refreshMs={options.refreshMs ?? prefs.refreshMs}
				readOnly={options.readOnly}
				theme={theme}
				sort={prefs.sort}
				columns={prefs.columns}
				notice={warning}
				onSort={(sort) => loaded.save({sort})}
			/>,
			INK_OPTIONS,
		);
		await instance.waitUntilExit();
	} finally {
		host.metrics.close?.();
		process.stdout.write(LEAVE_ALT_SCREEN);
	}
}
