/**
 * The dashboard's state and the one action type through which keys, the
 * snapshot poller and finished host actions change it. Pure: no Ink, no I/O.
 * Effects (running helpers, polling, following the journal) live in hooks that
 * watch this state.
 */
import {formatBytes, formatMemory, formatPercent, formatUptime} from '../core/format.js';
import {isRunningState, type InstanceView, type ListDocument} from '../core/snapshot.js';
import {consoleEdit, consoleHistory, consoleRecall, consoleReply, consoleScroll, consoleSend, openConsole, type ConsoleState} from './console-state.js';
import {INITIAL_BUILDS, isBuildsAction, reduceBuilds, type BuildsAction, type BuildsState} from './builds-state.js';
import {filterLines, scrollJournal, type JournalLine, type JournalMove} from './journal-buffer.js';
import {clampHelpScroll, helpLines, helpRows, helpTextWidth} from './help-lines.js';
import {findBinding, keymapFor, KEYMAP, type KeyContext, type KeyPress} from './keymap.js';
import {addCpuSamples, cpuTrends, nextSortColumn, visibleInstances, type CpuHistory, type CpuTrends, type Sort} from './table-view.js';
import {describeNames, finish, progress, request, type Notice, type Operation, type Task} from './tasks.js';

export {CONFIRMED_OPERATIONS, OPERATION_VERBS, type Notice, type Operation, type Task} from './tasks.js';

/** Which pane `/` and Esc act on. */
export type Focus = 'table' | 'journal';

/** Everything the dashboard shows that is not a live stream. */
export type DashboardState = Readonly<{
	readOnly: boolean;
	/** Latest snapshot; null until the first one arrives. */
	doc: ListDocument | null;
	/** Name of the selected instance, or null when there is none. */
	selected: string | null;
	/** Instances marked for a bulk action. */
	marked: ReadonlySet<string>;
	journalOpen: boolean;
	helpOpen: boolean;
	/** First line of the help overlay shown. */
	helpScroll: number;
	focus: Focus;
	tableFilter: string;
	/** The journal filter of the view shown (servers or builds): each view keeps its own. */
	journalFilter: string;
	/** The journal filter of the view not shown, restored when the operator switches back. */
	otherJournalFilter: string;
	/** The filter being typed, or null when the filter line is closed. */
	editing: Readonly<{focus: Focus; text: string}> | null;
	sort: Sort;
	/** Seq of the journal line at the bottom of the pane, or null to follow the newest. */
	journalAnchor: number | null;
	/** Journal paused: the view stays where it is while lines are still collected. */
	journalPaused: boolean;
	cpuHistory: CpuHistory;
	/** The sparkline of each instance, from `cpuHistory`; the same map while no line changes. */
	cpuTrends: CpuTrends;
	/** The action waiting for y/n. */
	confirming: Task | null;
	/** The action the runner hook is executing, and how many of its instances are done. */
	running: Task | null;
	done: number;
	/** The running task's own progress line (a wait for an empty server: its last A2S_INFO answer), or null. */
	progressText: string | null;
	nextId: number;
	/** Result of the last action, or the last refusal or collection error. */
	notice: Notice | null;
	/** Set by the quit key; the app exits when it sees it. */
	quit: boolean;
	/** The overlay builds view (builds-state.ts). */
	builds: BuildsState;
	/** The RCON console of one instance, when open (it has the keyboard). */
	console: ConsoleState | null;
}>;

/**
 * The screen as the key handler sees it: journal lines held (oldest first), the journal pane's
 * height, the help overlay's height, the output lines the RCON console pane shows.
 */
export type JournalNav = Readonly<{lines: readonly JournalLine[]; height: number; helpHeight?: number; helpWidth?: number; consoleRows?: number}>;

/** Everything that can happen to the dashboard. */
export type Action =
	| Readonly<{type: 'key'; input: string; key: KeyPress; nav?: JournalNav}>
	| Readonly<{type: 'move'; delta: 1 | -1}>
	| Readonly<{type: 'mark'}>
	| Readonly<{type: 'request'; operation: Operation}>
	| Readonly<{type: 'confirm'}>
	| Readonly<{type: 'cancel'}>
	| Readonly<{type: 'toggle-journal'}>
	| Readonly<{type: 'toggle-help'}>
	| Readonly<{type: 'help-scroll'; to: number}>
	| Readonly<{type: 'focus'}>
	/** Opens the filter line for `focus`, or for the focused pane when absent. */
	| Readonly<{type: 'filter-open'; focus?: Focus}>
	| Readonly<{type: 'filter-edit'; text: string}>
	| Readonly<{type: 'filter-close'; keep: boolean}>
	| Readonly<{type: 'filter-clear'}>
	| Readonly<{type: 'sort'; reverse: boolean}>
	| Readonly<{type: 'journal-anchor'; anchor: number | null}>
	| Readonly<{type: 'journal-pause'; anchor: number | null}>
	| Readonly<{type: 'journal-reset'}>
	| Readonly<{type: 'quit'}>
	| Readonly<{type: 'refuse'; text: string}>
	| Readonly<{type: 'snapshot'; doc: ListDocument}>
	| Readonly<{type: 'snapshot-failed'; text: string; hint?: string}>
	| Readonly<{type: 'progress'; task: Task; done: number; text?: string}>
	| Readonly<{type: 'console-open'}>
	| Readonly<{type: 'console-close'}>
	| Readonly<{type: 'console-edit'; text: string}>
	| Readonly<{type: 'console-send'}>
	| Readonly<{type: 'console-recall'; direction: 'up' | 'down'}>
	/** `delta` output lines (negative: back to older ones) in a pane showing `rows`. */
	| Readonly<{type: 'console-scroll'; delta: number; rows: number}>
	| Readonly<{type: 'console-history'; name: string; history: readonly string[]}>
	| Readonly<{type: 'console-reply'; name: string; id: number; text: string}>
	| Readonly<{type: 'finished'; task: Task; failures: readonly Failure[]}>
	/** A success notice has been shown long enough (use-notice-expiry.ts); cleared only if it is still the one shown. */
	| Readonly<{type: 'notice-expired'; notice: Notice}>
	| BuildsAction;

/** One instance an action failed on, with the exact error. */
export type Failure = Readonly<{name: string; message: string; hint?: string}>;

/** Options of {@link initialState}; preferences fill them. */
export type InitialOptions = Readonly<{readOnly: boolean; sort?: Sort; notice?: Notice | null}>;

/** The state before the first snapshot. The journal pane starts open, the table has the focus. */
export function initialState(options: InitialOptions | boolean): DashboardState {
	const o = typeof options === 'boolean' ? {readOnly: options} : options;
	return {
		readOnly: o.readOnly,
		doc: null,
		selected: null,
		marked: new Set(),
		journalOpen: true,
		helpOpen: false,
		helpScroll: 0,
		focus: 'table',
		tableFilter: '',
		journalFilter: '',
		otherJournalFilter: '',
		editing: null,
		sort: o.sort ?? {column: 'name', reversed: false},
		journalAnchor: null,
		journalPaused: false,
		cpuHistory: new Map(),
		cpuTrends: new Map(),
		confirming: null,
		running: null,
		done: 0,
		progressText: null,
		nextId: 1,
		notice: o.notice ?? null,
		quit: false,
		builds: INITIAL_BUILDS,
		console: null,
	};
}

/** Which keymap context has the keyboard. */
export function contextOf(state: DashboardState): KeyContext {
	if (state.confirming || state.builds.confirming) return 'confirm';
	return state.editing ? 'filter' : state.helpOpen ? 'help' : state.console ? 'console' : state.builds.open ? 'builds' : 'main';
}

/**
 * The instances the table shows, filtered and sorted. The same array is returned while the
 * instances, the filter and the sort are the same (the reducer and each frame ask often).
 */
export function rowsOf(state: DashboardState): readonly InstanceView[] {
	const instances = state.doc?.instances ?? NO_INSTANCES;
	const cached = rowsCache.get(instances);
	if (cached && cached.filter === state.tableFilter && cached.sort === state.sort) return cached.rows;
	const rows = visibleInstances(instances, state.tableFilter, state.sort);
	rowsCache.set(instances, {filter: state.tableFilter, sort: state.sort, rows});
	return rows;
}

const NO_INSTANCES: readonly InstanceView[] = [];
/** The last rows computed for each instances array (the reducer keeps a sort object until it changes). */
const rowsCache = new WeakMap<readonly InstanceView[], {filter: string; sort: Sort; rows: readonly InstanceView[]}>();

const SIMPLE: Readonly<Partial<Record<string, Action>>> = {
	up: {type: 'move', delta: -1},
	down: {type: 'move', delta: 1},
	mark: {type: 'mark'},
	start: {type: 'request', operation: 'start'},
	stop: {type: 'request', operation: 'stop'},
	restart: {type: 'request', operation: 'restart'},
	reset: {type: 'request', operation: 'reset'},
	'restart-empty': {type: 'request', operation: 'restart-empty'},
	console: {type: 'console-open'},
	send: {type: 'console-send'},
	'history-up': {type: 'console-recall', direction: 'up'},
	'history-down': {type: 'console-recall', direction: 'down'},
	journal: {type: 'toggle-journal'},
	focus: {type: 'focus'},
	filter: {type: 'filter-open'},
	'clear-filter': {type: 'filter-clear'},
	sort: {type: 'sort', reverse: false},
	reverse: {type: 'sort', reverse: true},
	help: {type: 'toggle-help'},
	close: {type: 'toggle-help'},
	quit: {type: 'quit'},
	yes: {type: 'confirm'},
	no: {type: 'cancel'},
	apply: {type: 'filter-close', keep: true},
	discard: {type: 'filter-close', keep: false},
};

/** Console rows paged when the key handler was not told the pane's height. */
const CONSOLE_PAGE_FALLBACK = 10;

/** Typing, erasing, paging and Esc mean the console's own actions while it has the keyboard. */
function consoleKeyAction(state: DashboardState, context: KeyContext, command: string, input: string, nav?: JournalNav): Action | null {
	if (context !== 'console' || !state.console) return null;
	if (command === 'close') return {type: 'console-close'};
	if (command === 'page-up' || command === 'page-down') {
		const rows = Math.max(1, nav?.consoleRows ?? CONSOLE_PAGE_FALLBACK);
		return {type: 'console-scroll', delta: command === 'page-up' ? -rows : rows, rows};
	}
	if (command === 'type') return {type: 'console-edit', text: state.console.input + input};
	if (command === 'erase') return {type: 'console-edit', text: [...state.console.input].slice(0, -1).join('')};
	return null;
}

/** Selection and y/n mean the builds view's own actions while it is open or asking; `/` there filters the build journal. */
function buildsKeyAction(state: DashboardState, context: KeyContext, command: string): Action | null {
	if (context === 'builds' && (command === 'up' || command === 'down')) return {type: 'builds/move', delta: command === 'up' ? -1 : 1};
	if (context === 'builds' && command === 'filter') return state.journalOpen ? {type: 'filter-open', focus: 'journal'} : {type: 'refuse', text: 'no journal shown; l shows it'};
	if (state.builds.confirming && command === 'yes') return {type: 'builds/confirm'};
	if (state.builds.confirming && command === 'no') return {type: 'builds/decline'};
	return null;
}

/**
 * Maps a key press to an action using the keymap. A key bound to a host action
 * in read-only mode gives a `refuse` action; an unbound key gives null. Journal
 * scrolling needs `nav` (the lines held and the pane height).
 */
export function keyToAction(state: DashboardState, input: string, key: KeyPress, nav?: JournalNav): Action | null {
	const context = contextOf(state);
	const binding = findBinding(keymapFor(state.readOnly), context, input, key);
	if (!binding) {
		const blocked = state.readOnly ? findBinding(KEYMAP, context, input, key) : undefined;
		return blocked ? {type: 'refuse', text: `read-only mode: ${blocked.hint} is disabled`} : null;
	}
	const builds = buildsKeyAction(state, context, binding.command) ?? consoleKeyAction(state, context, binding.command, input, nav);
	if (builds) return builds;
	const simple = SIMPLE[binding.command];
	if (simple) return simple;
	switch (binding.command) {
		case 'builds-open':
			return {type: 'builds/open'};
		case 'builds-close':
			return {type: 'builds/close'};
		case 'build':
			return {type: 'builds/request', operation: 'build'};
		case 'cancel-build':
			return {type: 'builds/request', operation: 'cancel'};
		case 'type':
			return {type: 'filter-edit', text: (state.editing?.text ?? '') + input};
		case 'erase':
			return {type: 'filter-edit', text: [...(state.editing?.text ?? '')].slice(0, -1).join('')};
		case 'help-up':
		case 'help-down':
		case 'help-page-up':
		case 'help-page-down': {
			const rows = helpRows(nav?.helpHeight ?? 0);
			const step = binding.command.includes('page') ? rows : 1;
			const total = helpLines(keymapFor(state.readOnly), state.readOnly, helpTextWidth(nav?.helpWidth ?? Infinity)).length;
			return {type: 'help-scroll', to: clampHelpScroll(state.helpScroll + (binding.command.endsWith('up') ? -step : step), total, rows)};
		}
		case 'pause': {
			const newest = nav?.lines.at(-1)?.seq ?? null;
			return {type: 'journal-pause', anchor: state.journalPaused ? null : (state.journalAnchor ?? newest)};
		}
		default: {
			if (!state.journalOpen || !nav) return null;
			const lines = filterLines(nav.lines, state.journalFilter);
			return {type: 'journal-anchor', anchor: scrollJournal(lines, state.journalAnchor, nav.height, binding.command as JournalMove, state.journalPaused)};
		}
	}
}

/** The dashboard reducer. Returns the same object when nothing changed, so React skips the render. */
export function reduce(state: DashboardState, action: Action): DashboardState {
	if (isBuildsAction(action)) {
		const step = reduceBuilds(state.builds, action, state.readOnly);
		if (step.builds.open !== state.builds.open) return switchView({...state, builds: step.builds});
		return step.builds === state.builds && !step.notice ? state : {...state, builds: step.builds, notice: step.notice ?? state.notice};
	}
	switch (action.type) {
		case 'key': {
			const next = keyToAction(state, action.input, action.key, action.nav);
			return next ? reduce(state, next) : state;
		}
		case 'move':
			return move(state, action.delta);
		case 'mark':
			return mark(state);
		case 'request':
			return request(state, action.operation, rowsOf(state).map((i) => i.name));
		case 'confirm':
			return state.confirming ? {...state, confirming: null, running: state.confirming, done: 0, progressText: null, notice: null} : state;
		case 'cancel':
			return state.confirming ? {...state, confirming: null, notice: {tone: 'info', text: `${state.confirming.operation} ${describeNames(state.confirming.names)} cancelled`}} : state;
		case 'toggle-journal':
			return {...state, journalOpen: !state.journalOpen, focus: 'table', journalAnchor: null, journalPaused: false};
		case 'toggle-help':
			return {...state, helpOpen: !state.helpOpen, helpScroll: 0};
		case 'help-scroll':
			return action.to === state.helpScroll ? state : {...state, helpScroll: Math.max(0, action.to)};
		case 'focus':
			return {...state, focus: state.focus === 'table' && state.journalOpen ? 'journal' : 'table'};
		case 'filter-open': {
			const focus = action.focus ?? state.focus;
			return {...state, editing: {focus, text: focus === 'table' ? state.tableFilter : state.journalFilter}};
		}
		case 'filter-edit':
			return state.editing ? withFilter({...state, editing: {...state.editing, text: action.text}}, state.editing.focus, action.text) : state;
		case 'filter-close':
			return state.editing ? withFilter({...state, editing: null}, state.editing.focus, action.keep ? state.editing.text : '') : state;
		case 'filter-clear':
			return withFilter(state, state.focus, '');
		case 'sort':
			return {...state, sort: action.reverse ? {...state.sort, reversed: !state.sort.reversed} : {column: nextSortColumn(state.sort.column), reversed: false}};
		case 'journal-anchor':
			return action.anchor === state.journalAnchor ? state : {...state, journalAnchor: action.anchor};
		case 'journal-pause':
			return {...state, journalPaused: !state.journalPaused, journalAnchor: action.anchor};
		case 'journal-reset':
			return {...state, journalAnchor: null, journalPaused: false};
		case 'quit':
			return {...state, quit: true};
		case 'refuse':
			return {...state, notice: {tone: 'info', text: action.text}};
		case 'snapshot':
			return receive(state, action.doc);
		case 'snapshot-failed':
			if (state.notice?.tone === 'error' && state.notice.text === action.text) return state;
			return {...state, notice: {tone: 'error', text: action.text, hint: action.hint}};
		case 'progress':
			return progress(state, action.task, action.done, action.text);
		case 'console-open':
			if (state.readOnly) return {...state, notice: {tone: 'info', text: 'read-only mode: console is disabled'}};
			return openConsoleFor(state);
		case 'console-close':
			return state.console ? {...state, console: null} : state;
		case 'console-edit':
			return withConsole(state, (c) => consoleEdit(c, action.text));
		case 'console-send':
			return withConsole(state, consoleSend);
		case 'console-recall':
			return withConsole(state, (c) => consoleRecall(c, action.direction));
		case 'console-scroll':
			return withConsole(state, (c) => consoleScroll(c, action.delta, action.rows));
		case 'console-history':
			return state.console?.name === action.name ? withConsole(state, (c) => consoleHistory(c, action.history)) : state;
		case 'console-reply':
			return state.console?.name === action.name ? withConsole(state, (c) => consoleReply(c, action.id, action.text)) : state;
		case 'finished':
			return finish(state, action.task, action.failures);
		case 'notice-expired':
			return state.notice === action.notice ? {...state, notice: null} : state;
	}
}

/**
 * After switching between the servers and the builds view: the other view's notice does not
 * stay in the footer, and each view gets back its own journal filter (the journal then
 * follows another unit, so the scroll position starts over at the newest line).
 */
function switchView(state: DashboardState): DashboardState {
	return {...state, notice: null, journalFilter: state.otherJournalFilter, otherJournalFilter: state.journalFilter, journalAnchor: null, journalPaused: false};
}

/**
 * Opens the RCON console of the selected instance, or refuses as `l4d2ctl rcon` does: a server
 * that is not running (by the last snapshot's ActiveState/SubState) is named before any
 * rcon_password is looked for.
 */
function openConsoleFor(state: DashboardState): DashboardState {
	if (state.selected === null) return {...state, notice: {tone: 'info', text: 'no instance selected'}};
	const instance = state.doc?.instances.find((i) => i.name === state.selected);
	if (instance && !isRunningState(instance.state, instance.subState)) {
		// startLimitHit (core/snapshot.ts) is a failed unit that its start limit keeps down.
		const hint = instance.startLimitHit ? 's starts it once its start limit interval has passed; W resets it now, wiping its upper layer' : 's starts it';
		return {...state, notice: {tone: 'error', text: `${instance.name} is not running (${instance.state})`, hint}};
	}
	// The console has the keyboard: a notice about something else would stay under it.
	return {...state, notice: null, console: openConsole(state.selected)};
}

function withConsole(state: DashboardState, change: (c: ConsoleState) => ConsoleState): DashboardState {
	if (!state.console) return state;
	const next = change(state.console);
	return next === state.console ? state : {...state, console: next};
}

function withFilter(state: DashboardState, focus: Focus, text: string): DashboardState {
	if (focus === 'journal') return {...state, journalFilter: text, journalAnchor: null};
	const next = {...state, tableFilter: text};
	return keepSelection(next);
}

/** Keeps the selection on a visible row: the first one when the selected instance is filtered out. */
function keepSelection(state: DashboardState): DashboardState {
	const names = rowsOf(state).map((i) => i.name);
	const selected = state.selected !== null && names.includes(state.selected) ? state.selected : (names[0] ?? null);
	return selected === state.selected ? state : {...state, selected, journalAnchor: null, journalPaused: false};
}

function move(state: DashboardState, delta: 1 | -1): DashboardState {
	const names = rowsOf(state).map((i) => i.name);
	if (names.length === 0) return state;
	const index = state.selected === null ? -1 : names.indexOf(state.selected);
	const next = names[Math.min(names.length - 1, Math.max(0, index + delta))] ?? null;
	return next === state.selected ? state : {...state, selected: next, journalAnchor: null, journalPaused: false};
}

function mark(state: DashboardState): DashboardState {
	if (state.selected === null) return state;
	const marked = new Set(state.marked);
	if (!marked.delete(state.selected)) marked.add(state.selected);
	return {...state, marked};
}

/**
 * Takes a snapshot. One that would render the same as the last (only its time differs) returns
 * the same state, so nothing re-renders; the sparkline then skips that sample, which looks the
 * same since every figure repeated.
 */
function receive(state: DashboardState, received: ListDocument): DashboardState {
	if (state.doc && sameSnapshot(state.doc, received)) return state;
	const cpuHistory = addCpuSamples(state.cpuHistory, received.instances, received.intervalMs > 0);
	// Only the header changed (host figures, slice totals): the table keeps its rows, so it is not drawn again.
	const doc = state.doc && instancesKey(state.doc) === instancesKey(received) ? withInstances(received, state.doc.instances) : received;
	const names = new Set(doc.instances.map((i) => i.name));
	const marked = [...state.marked].every((n) => names.has(n)) ? state.marked : new Set([...state.marked].filter((n) => names.has(n)));
	return keepSelection({...state, doc, marked, cpuHistory, cpuTrends: cpuTrends(cpuHistory, state.cpuTrends)});
}

/** `doc` with the instances of an earlier document that shows them the same way (their key is kept too). */
function withInstances(doc: ListDocument, instances: readonly InstanceView[]): ListDocument {
	const kept = {...doc, instances};
	instancesKeys.set(kept, instancesKey(doc));
	return kept;
}

/**
 * What a snapshot shows, as text: every figure as the dashboard formats it. Two snapshots with
 * the same key draw the same frame (seconds of uptime past the first minute, CPU below 0.05 %, memory
 * below 0.1 MiB, the timestamp and interval are not shown), so the second causes no render.
 */
export function displayKey(doc: ListDocument): string {
	let key = displayKeys.get(doc);
	if (key === undefined) {
		key = `${instancesKey(doc)}\n${headerKey(doc)}`;
		displayKeys.set(doc, key);
	}
	return key;
}

/** Keys already computed, by document (a document is compared on several refreshes). */
const displayKeys = new WeakMap<ListDocument, string>();
const instancesKeys = new WeakMap<ListDocument, string>();

/** The part of {@link displayKey} the instance table shows: every row's figures as formatted. */
function instancesKey(doc: ListDocument): string {
	let key = instancesKeys.get(doc);
	if (key === undefined) {
		key = computeInstancesKey(doc);
		instancesKeys.set(doc, key);
	}
	return key;
}

function computeInstancesKey(doc: ListDocument): string {
	let key = '';
	for (const view of doc.instances) key += rowKey(view);
	return key;
}

/** Row keys already computed, by view: a view the collector kept from the last snapshot is not formatted again. */
const rowKeys = new WeakMap<InstanceView, string>();

/** One row's figures as formatted, one line of JSON. */
function rowKey(v: InstanceView): string {
	let key = rowKeys.get(v);
	if (key !== undefined) return key;
	key = `${JSON.stringify([
		v.name,
		v.state,
		v.subState,
		v.result,
		v.startLimitHit,
		v.enabled,
		v.port,
		v.layers.join(':'),
		formatUptime(v.uptimeSec),
		v.restarts,
		formatPercent(v.cpuPercent),
		formatMemory(v.memoryBytes, v.memoryApprox),
		v.configError,
		v.players,
		v.maxPlayers,
		v.map,
	])}\n`;
	rowKeys.set(v, key);
	return key;
}

/** The part of {@link displayKey} the header shows: slice totals and host figures. */
function headerKey(doc: ListDocument): string {
	const s = [doc.slices.game, doc.slices.build].map((v) => [formatPercent(v.cpuPercent), formatMemory(v.memoryBytes, v.memoryApprox)]);
	const h = doc.host;
	return JSON.stringify([s, h.cpuCount, formatPercent(h.cpuPercent ?? null), h.load1.toFixed(2), formatBytes(h.memTotalBytes - h.memAvailableBytes), formatBytes(h.memTotalBytes)]);
}

/** True when two snapshots would render the same (see {@link displayKey}). */
export function sameSnapshot(a: ListDocument, b: ListDocument): boolean {
	return displayKey(a) === displayKey(b);
}
