/**
 * The help overlay's lines, from the keymap, and its scrolling. Pure.
 */
import type {Binding, KeyContext} from './keymap.js';
import {wrapText} from './layout.js';

/** Columns of the key label column in the help. */
export const HELP_LABEL_WIDTH = 7;

/** Columns for text inside the help overlay (its border and padding taken off) on a screen `width` wide. */
export function helpTextWidth(width: number): number {
	return Math.max(1, width - 4);
}

const SECTIONS: ReadonlyArray<Readonly<{context: KeyContext; title: string}>> = [
	{context: 'main', title: 'Dashboard'},
	{context: 'builds', title: 'Overlay builds (B)'},
	{context: 'filter', title: 'Typing a filter'},
	{context: 'console', title: 'RCON console (c)'},
	{context: 'confirm', title: 'When asked to confirm'},
	{context: 'help', title: 'In this help'},
];

/**
 * The rows of each section. The dashboard and the builds view list every key that works there;
 * the other sections leave out quit, listed under the dashboard keys.
 */
export function helpSections(bindings: readonly Binding[]) {
	const listed = (context: KeyContext, b: Binding) => context === 'main' || context === 'builds' || b.command !== 'quit';
	return SECTIONS.map((s) => ({...s, rows: bindings.filter((b) => b.context === s.context && listed(s.context, b))})).filter((s) => s.rows.length > 0);
}

/** One line of the help. */
export type Line = Readonly<{kind: 'title' | 'heading' | 'key'; text: string; label?: string}>;

/**
 * Every line of the help, before scrolling. A description longer than the room beside its key
 * goes on under it, word-wrapped, so nothing is cut on an 80-column screen.
 * @param textWidth columns inside the overlay ({@link helpTextWidth}); no wrapping when Infinity
 */
export function helpLines(bindings: readonly Binding[], readOnly: boolean, textWidth = Infinity): Line[] {
	const lines: Line[] = [{kind: 'title', text: `Keys${readOnly ? ' (read-only: actions are disabled)' : ''}`}];
	const room = textWidth - HELP_LABEL_WIDTH;
	for (const section of helpSections(bindings)) {
		lines.push({kind: 'heading', text: section.title});
		for (const b of section.rows) {
			const parts = Number.isFinite(room) && room >= 8 ? wrapText(b.description, room) : [b.description];
			parts.forEach((text, i) => lines.push({kind: 'key', label: i === 0 ? b.label : '', text}));
		}
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
