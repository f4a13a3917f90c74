/**
 * The help overlay's lines, from the keymap, and its scrolling. Pure.
 */
import type {Binding, KeyContext} from './keymap.js';

const SECTIONS: ReadonlyArray<Readonly<{context: KeyContext; title: string}>> = [
	{context: 'main', title: 'Dashboard'},
	{context: 'builds', title: 'Overlay builds (B)'},
	{context: 'filter', title: 'Typing a filter'},
	{context: 'console', title: 'RCON console (c)'},
	{context: 'confirm', title: 'When asked to confirm'},
	{context: 'help', title: 'In this help'},
];

/** Builds-view commands that work as on the dashboard, so they are listed there only. */
const LISTED_ONCE: ReadonlySet<string> = new Set(['quit', 'help', 'up', 'down', 'journal']);

/** The rows of each section; quit and the keys the builds view shares are listed once, under the dashboard keys. */
export function helpSections(bindings: readonly Binding[]) {
	const listed = (context: KeyContext, b: Binding) =>
		context === 'main' || (context === 'builds' ? !LISTED_ONCE.has(b.command) : b.command !== 'quit');
	return SECTIONS.map((s) => ({...s, rows: bindings.filter((b) => b.context === s.context && listed(s.context, b))})).filter((s) => s.rows.length > 0);
}

/** One line of the help. */
export type Line = Readonly<{kind: 'title' | 'heading' | 'key'; text: string; label?: string}>;

/** Every line of the help, before scrolling. */
export function helpLines(bindings: readonly Binding[], readOnly: boolean): Line[] {
	const lines: Line[] = [{kind: 'title', text: `Keys${readOnly ? ' (read-only: actions are disabled)' : ''}`}];
	for (const section of helpSections(bindings)) {
		lines.push({kind: 'heading', text: section.title});
		for (const b of section.rows) lines.push({kind: 'key', label: b.label, text: b.description});
	}
	return lines;
}

/** The first line shown for a scroll request, kept within the list. */
export function clampHelpScroll(scroll: number, total: number, rows: number): number {
	return Math.max(0, Math.min(scroll, total - rows));
}

/** Lines the overlay shows in `height` rows when it scrolls (border and position line taken off). */
export function helpRows(height: number): number {
	return Math.max(1, height - 3);
}
