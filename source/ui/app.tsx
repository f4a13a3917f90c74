/**
 * The dashboard: {@link App} wires state, hooks and effects; {@link DashboardView}
 * renders one frame from plain data, so frames can be tested without a host.
 */
import {Box, useApp} from 'ink';
import {useEffect, useMemo, useReducer} from 'react';
import {SnapshotCollector, type Host} from '../system/host.js';
import {ConfirmDialog, confirmHeight} from './confirm-dialog.js';
import {ConsolePane} from './console-pane.js';
import {contextOf, initialState, reduce, type DashboardState} from './dashboard-state.js';
import {Footer, footerHeight} from './footer.js';
import {Header, headerRows} from './header.js';
import {HelpOverlay} from './help-overlay.js';
import {InstanceTable, tableHeight} from './instance-table.js';
import {JournalPane} from './journal-pane.js';
import {keymapFor} from './keymap.js';
import type {Theme} from './theme.js';
import {useDashboardKeys} from './use-dashboard-keys.js';
import {useJournal, type JournalView} from './use-journal.js';
import {consoleDeps, useConsole, type ConsoleDeps} from './use-console.js';
import {useShaping} from './use-shaping.js';
import {useSnapshot, type Collector} from './use-snapshot.js';
import {useTaskRunner} from './use-task-runner.js';
import {useTerminalSize, type Size} from './use-terminal-size.js';

/** Props of {@link DashboardView}. */
export type DashboardViewProps = Readonly<{
	state: DashboardState;
	journal: JournalView;
	/** Terminal size; the frame is one row shorter than the screen so Ink never clears it. */
	size: Size;
	theme: Theme;
	/** Time zone for journal timestamps; local when undefined. */
	timeZone?: string;
	/** Traffic shaping summary for the header (use-shaping.ts). */
	shaping?: string | null;
}>;

/** Renders one frame: header, table, journal (or help), confirmation, footer. */
export function DashboardView({state, journal, size, theme, timeZone, shaping}: DashboardViewProps) {
	const width = Math.max(20, size.columns);
	const height = Math.max(8, size.rows - 1);
	const bindings = keymapFor(state.readOnly).filter((b) => b.context === contextOf(state));
	const footer = {bindings, notice: state.notice, readOnly: state.readOnly, width};
	const headerLines = state.helpOpen ? 0 : headerRows(state.doc, width, shaping).length;
	const body = Math.max(2, height - headerLines - footerHeight(footer) - (state.confirming ? confirmHeight(state.confirming, width) : 0));
	const instances = state.doc?.instances ?? null;
	const maxRows = state.journalOpen || state.console ? Math.max(1, Math.floor((body - 1) / 2)) : body - 1;
	const tableLines = tableHeight(instances, maxRows);
	return (
		<Box flexDirection="column" width={width} height={height}>
			{state.helpOpen ? null : <Header doc={state.doc} width={width} theme={theme} shaping={shaping} />}
			<Box flexDirection="column" height={body} overflow="hidden">
				{state.helpOpen ? (
					<HelpOverlay bindings={keymapFor(state.readOnly)} readOnly={state.readOnly} width={width} height={body} theme={theme} />
				) : (
					<>
						<InstanceTable instances={instances} selected={state.selected} width={width} maxRows={maxRows} theme={theme} />
						{state.console ? (
							<ConsolePane console={state.console} width={width} height={body - tableLines} theme={theme} />
						) : state.journalOpen ? (
							<JournalPane target={journal.target} lines={journal.lines} error={journal.error} width={width} height={body - tableLines} theme={theme} timeZone={timeZone} />
						) : null}
					</>
				)}
			</Box>
			{state.confirming ? <ConfirmDialog task={state.confirming} width={width} theme={theme} /> : null}
			<Footer {...footer} theme={theme} />
		</Box>
	);
}

/** Props of {@link App}. */
export type AppProps = Readonly<{
	host: Host;
	/** Snapshot interval, ms. */
	refreshMs: number;
	/** Wall-dashboard mode: no key acts on the host. */
	readOnly: boolean;
	theme: Theme;
	/** Snapshot source; a SnapshotCollector on `host` when undefined. */
	collector?: Collector;
	/** How the RCON console reaches servers; the real one on `host` when undefined. */
	consoleDeps?: ConsoleDeps;
	/** Fixed size (tests, screenshots); follows the terminal when undefined. */
	size?: Size;
	timeZone?: string;
}>;

/** The live dashboard. Exits (via Ink's exit) when the quit key is pressed. */
export function App({host, refreshMs, readOnly, theme, collector, size, timeZone, consoleDeps: deps}: AppProps) {
	const [state, dispatch] = useReducer(reduce, readOnly, initialState);
	const source = useMemo(() => collector ?? new SnapshotCollector(host), [collector, host]);
	const refresh = useSnapshot(source, refreshMs, dispatch);
	useTaskRunner(state.running, host.privileged, dispatch, refresh, host.game);
	const journal = useJournal(host.privileged, state.journalOpen ? state.selected : null);
	const console = useMemo(() => deps ?? consoleDeps(host), [deps, host]);
	useConsole(state.console, console, dispatch);
	useDashboardKeys(dispatch);
	const {exit} = useApp();
	useEffect(() => {
		if (state.quit) exit();
	}, [state.quit, exit]);
	const screen = useTerminalSize(size);
	const shaping = useShaping(host.privileged);
	return <DashboardView state={state} journal={journal} size={screen} theme={theme} timeZone={timeZone} shaping={shaping} />;
}
