/**
 * The dashboard: {@link App} wires state, hooks and effects; {@link DashboardView}
 * renders one frame from plain data, so frames can be tested without a host.
 */
import {Box, useApp} from 'ink';
import {useEffect, useMemo, useReducer, useRef} from 'react';
import type {InstanceView} from '../core/snapshot.js';
import {createBuilds} from '../system/builds.js';
import {HOST_WINDOW_MS, SnapshotCollector, type Host} from '../system/host.js';
import {BuildConfirmDialog, buildConfirmHeight, BuildsTable, buildsTableHeight} from './builds-view.js';
import {ConfirmDialog, confirmHeight} from './confirm-dialog.js';
import {ConsolePane} from './console-pane.js';
import {contextOf, initialState, reduce, rowsOf, type DashboardState, type JournalNav} from './dashboard-state.js';
import {Footer, footerHeight} from './footer.js';
import {Header, headerRows} from './header.js';
import {HelpOverlay} from './help-overlay.js';
import {InstanceTable, shownWindow, tableHeight} from './instance-table.js';
import {JournalPane} from './journal-pane.js';
import {journalFooterBindings, keymapFor, type Binding, type KeyContext} from './keymap.js';
import type {Sort} from './table-view.js';
import {describeNames, type Notice} from './tasks.js';
import type {Theme} from './theme.js';
import {useElapsed} from './use-elapsed.js';
import {useNoticeExpiry} from './use-notice-expiry.js';
import {useDashboardKeys} from './use-dashboard-keys.js';
import {useJournal, type JournalView} from './use-journal.js';
import {useSnapshot, type Collector} from './use-snapshot.js';
import {useBuildRunner, useBuildsSnapshot, type BuildsSource} from './use-builds.js';
import {consoleDeps, useConsole, type ConsoleDeps} from './use-console.js';
import {useShaping} from './use-shaping.js';
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
	/** How long the running action has taken, ms (for its progress line). */
	elapsedMs?: number;
	/** Optional table columns shown (preferences); all when undefined. */
	columns?: readonly string[];
	/** Traffic shaping summary for the header (use-shaping.ts); not shown when null or absent. */
	shaping?: string | null;
}>;

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/** The footer's status line: the filter being typed, the running action's progress, or the table filter in force. */
export function statusLine(state: DashboardState, elapsedMs = 0): string | null {
	if (state.editing) return `filter ${state.editing.focus}: ${state.editing.text}▏`;
	if (state.running) {
		const {operation, names} = state.running;
		const frame = SPINNER[Math.floor(elapsedMs / 500) % SPINNER.length];
		const count = names.length > 1 ? ` (${state.done}/${names.length} done)` : '';
		if (state.progressText) return `${frame} ${state.progressText} ${Math.floor(elapsedMs / 1000)}s${count}`;
		return `${frame} ${operation} ${describeNames(names)}… ${Math.floor(elapsedMs / 1000)}s${count}`;
	}
	// A kept table filter hides rows; say so, or the table just looks short.
	if (state.tableFilter && state.doc) return `filter "${state.tableFilter}": ${rowsOf(state).length} of ${state.doc.instances.length} instances (Esc clears)`;
	return null;
}

/**
 * The footer's bindings: the journal's own keys while it has the focus, the context's otherwise.
 * One array per combination, so the memoised Footer is drawn again only when they change.
 */
function footerBindings(readOnly: boolean, context: KeyContext, journalFocused: boolean): readonly Binding[] {
	const key = `${readOnly}:${context}:${journalFocused}`;
	let bindings = footerBindingsCache.get(key);
	if (!bindings) {
		const inForce = keymapFor(readOnly);
		bindings = (context === 'main' || context === 'builds') && journalFocused ? journalFooterBindings(inForce, context) : inForce.filter((b) => b.context === context);
		footerBindingsCache.set(key, bindings);
	}
	return bindings;
}

const footerBindingsCache = new Map<string, readonly Binding[]>();

/** Rows of each part of the frame, from the state and the screen size (pure; the key handler needs the journal's height). */
export function frameLayout(state: DashboardState, size: Size, elapsedMs = 0, shaping: string | null = null) {
	const width = Math.max(20, size.columns);
	const height = Math.max(8, size.rows - 1);
	const bindings = footerBindings(state.readOnly, contextOf(state), state.focus === 'journal' && state.journalOpen);
	const footer = {bindings, notice: state.notice, status: statusLine(state, elapsedMs), statusWraps: !state.editing && state.progressText !== null, readOnly: state.readOnly, width};
	const headerLines = state.helpOpen ? 0 : headerRows(state.doc, width, shaping).length;
	const {builds} = state;
	const dialog = state.confirming ? confirmHeight(state.confirming, width) : builds.confirming ? buildConfirmHeight(builds.confirming, width) : 0;
	const body = Math.max(2, height - headerLines - footerHeight(footer) - dialog);
	const rows = state.doc ? rowsOf(state) : null;
	const overlays = builds.doc?.overlays ?? null;
	// The console takes the journal's place below the table.
	const split = state.journalOpen || state.console !== null;
	const maxRows = split ? Math.max(1, Math.floor((body - 1) / 2)) : body - 1;
	const tableLines = builds.open ? buildsTableHeight(overlays, maxRows) : tableHeight(rows, maxRows);
	const journalHeight = state.journalOpen && !state.console ? body - tableLines : 0;
	const consoleHeight = state.console ? body - tableLines : 0;
	return {width, height, footer, body, rows, overlays, maxRows, journalHeight, consoleHeight};
}

/** Renders one frame: header, table (servers or overlay builds), journal or RCON console (or help), confirmation, footer. */
export function DashboardView({state, journal, size, theme, timeZone, elapsedMs, columns, shaping = null}: DashboardViewProps) {
	const {width, height, footer, body, rows, overlays, maxRows, journalHeight, consoleHeight} = frameLayout(state, size, elapsedMs, shaping);
	const {builds} = state;
	return (
		<Box flexDirection="column" width={width} height={height}>
			{state.helpOpen ? null : <Header doc={state.doc} width={width} theme={theme} shaping={shaping} />}
			{/* No overflow="hidden": frameLayout sizes the parts to fill `body` exactly, and a clipped box costs Ink a re-slice of every line it holds on every frame. */}
			<Box flexDirection="column" height={body}>
				{state.helpOpen ? (
					<HelpOverlay bindings={keymapFor(state.readOnly)} readOnly={state.readOnly} scroll={state.helpScroll} width={width} height={body} theme={theme} />
				) : (
					<>
						{builds.open ? (
							<BuildsTable overlays={overlays} selected={builds.selected} width={width} maxRows={maxRows} theme={theme} timeZone={timeZone} />
						) : (
						<InstanceTable
							instances={rows}
							selected={state.selected}
							width={width}
							maxRows={maxRows}
							theme={theme}
							trends={state.cpuTrends}
							marked={state.marked}
							sort={state.sort}
							filter={state.tableFilter}
							total={state.doc?.instances.length ?? 0}
							columns={columns}
						/>
						)}
						{state.console ? <ConsolePane console={state.console} width={width} height={consoleHeight} theme={theme} /> : null}
						{journalHeight > 0 ? (
							<JournalPane
								target={journal.target}
								subject={builds.open ? 'build' : 'instance'}
								lines={journal.lines}
								error={journal.error}
								filter={state.journalFilter}
								anchor={state.journalAnchor}
								paused={state.journalPaused}
								focused={state.focus === 'journal'}
								resumed={journal.resumed}
								width={width}
								height={journalHeight}
								theme={theme}
								timeZone={timeZone}
							/>
						) : null}
					</>
				)}
			</Box>
			{state.confirming ? <ConfirmDialog task={state.confirming} width={width} theme={theme} /> : null}
			{builds.confirming ? <BuildConfirmDialog task={builds.confirming} width={width} theme={theme} /> : null}
			<Footer {...footer} theme={theme} />
		</Box>
	);
}

/** Names of the instance rows on screen, one a line; '' when the table is hidden (help, builds view) or empty. */
function onScreenNames(state: DashboardState, rows: readonly InstanceView[] | null, maxRows: number): string {
	if (!rows || state.helpOpen || state.builds.open) return '';
	const {start, end} = shownWindow(rows, state.selected, maxRows);
	let names = '';
	for (let i = start; i < end; i++) names += i === start ? rows[i]!.name : `\n${rows[i]!.name}`;
	return names;
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
	/** Overlay builds; createBuilds(host) when undefined. */
	builds?: BuildsSource;
	/** Fixed size (tests, screenshots); follows the terminal when undefined. */
	size?: Size;
	timeZone?: string;
	/** Table sort from the preferences. */
	sort?: Sort;
	/** A notice to show at start (e.g. a broken preferences file). */
	notice?: Notice | null;
	/** Optional table columns shown (preferences). */
	columns?: readonly string[];
	/** Called when the operator changes the sort (to store it); gives a warning line or null. */
	onSort?: (sort: Sort) => Promise<string | null> | string | null;
	/** How the RCON console reaches a server and keeps its history; consoleDeps(host) when undefined. */
	console?: ConsoleDeps;
	/** Pause between A2S_INFO queries while `e` waits for an empty server, ms. */
	whenEmptyPollMs?: number;
}>;

/** The live dashboard. Exits (via Ink's exit) when the quit key is pressed. */
export function App({host, refreshMs, readOnly, theme, collector, builds, size, timeZone, sort, notice, columns, onSort, console: consoleSource, whenEmptyPollMs}: AppProps) {
	const [state, dispatch] = useReducer(reduce, {readOnly, sort, notice}, initialState);
	const source = useMemo(() => collector ?? new SnapshotCollector(host, undefined, {hostEveryMs: HOST_WINDOW_MS}), [collector, host]);
	const refresh = useSnapshot(source, refreshMs, dispatch);
	const wait = useMemo(() => ({game: host.game, pollMs: whenEmptyPollMs}), [host.game, whenEmptyPollMs]);
	useTaskRunner(state.running, host, dispatch, refresh, wait);
	const rcon = useMemo(() => consoleSource ?? consoleDeps(host), [consoleSource, host]);
	useConsole(state.console, rcon, dispatch);
	const shaping = useShaping(host.privileged);
	const buildSource = useMemo(() => builds ?? createBuilds(host), [builds, host]);
	const refreshBuilds = useBuildsSnapshot(buildSource, state.builds.open, refreshMs, dispatch);
	useBuildRunner(state.builds.running, buildSource, dispatch, refreshBuilds);
	const followed = state.builds.open ? (state.builds.selected === null ? null : `build:${state.builds.selected}`) : state.selected;
	const journal = useJournal(host.privileged, state.journalOpen ? followed : null);
	const elapsedMs = useElapsed(state.running);
	useNoticeExpiry(state.notice, dispatch);
	const screen = useTerminalSize(size);
	// The key handler reads the journal and the pane height at the moment of the key press.
	const nav = useRef<JournalNav>({lines: [], height: 0});
	const layout = frameLayout(state, screen, elapsedMs, shaping);
	nav.current = {lines: journal.lines, height: Math.max(0, layout.journalHeight - 1), helpHeight: layout.body, helpWidth: layout.width, consoleRows: Math.max(1, layout.consoleHeight - 2)};
	useDashboardKeys(dispatch, nav);
	// The rows on screen are sampled on every refresh, the others every HOST_WINDOW_MS (SnapshotCollector.focus).
	const onScreen = onScreenNames(state, layout.rows, layout.maxRows);
	useEffect(() => source.focus?.(onScreen === '' ? [] : onScreen.split('\n')), [source, onScreen]);
	const {exit} = useApp();
	useEffect(() => {
		if (state.quit) exit();
	}, [state.quit, exit]);
	const initialSort = useRef(state.sort);
	useEffect(() => {
		if (state.sort === initialSort.current || !onSort) return;
		void Promise.resolve(onSort(state.sort)).then((warning) => {
			if (warning) dispatch({type: 'refuse', text: warning});
		});
	}, [state.sort, onSort]);
	return <DashboardView state={state} journal={journal} size={screen} theme={theme} timeZone={timeZone} elapsedMs={elapsedMs} columns={columns} shaping={shaping} />;
}
