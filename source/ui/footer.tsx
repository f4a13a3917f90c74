/**
 * The footer: key hints for the current context (from the keymap) and the
 * result of the last action: the exact error message and, for a missing sudo
 * rule, the rule to add.
 */
import {Box, Text} from 'ink';
import {memo} from 'react';
import type {Notice} from './dashboard-state.js';
import type {Binding} from './keymap.js';
import {packSegments, wrapText} from './layout.js';
import type {Theme} from './theme.js';

/** Props of {@link Footer}. */
export type FooterProps = Readonly<{
	/** Bindings of the current context (already without acting ones in read-only mode). */
	bindings: readonly Binding[];
	notice: Notice | null;
	/** One line above the notice: the filter being typed, or a running action's progress. */
	status?: string | null;
	/** Wrap the status line (a progress line) instead of keeping its end (the filter being typed). */
	statusWraps?: boolean;
	readOnly: boolean;
	/** Screen columns. */
	width: number;
	theme: Theme;
}>;

type Hint = Readonly<{keys: string; word: string}>;

/** Footer hints: consecutive bindings with the same word share one hint (`↑/k ↓/j select`). */
export function footerHints(bindings: readonly Binding[]): Hint[] {
	const hints: Array<{keys: string[]; word: string}> = [];
	for (const b of bindings.filter((b) => b.inFooter)) {
		const last = hints.at(-1);
		if (last && last.word === b.hint) last.keys.push(b.label);
		else hints.push({keys: [b.label], word: b.hint});
	}
	return hints.map((h) => ({keys: h.keys.join(' '), word: h.word}));
}

type LayoutProps = Pick<FooterProps, 'bindings' | 'notice' | 'readOnly' | 'width' | 'status' | 'statusWraps'>;

/** Most lines the key hints take; hints are dropped in {@link DROP_ORDER} to stay within it (the help lists every key). */
export const MAX_HINT_LINES = 2;
/**
 * Footer hints by word, least useful first: dropped in this order until the hints fit in
 * {@link MAX_HINT_LINES}. Start, stop, help and quit are never dropped.
 */
export const DROP_ORDER: readonly string[] = ['pane', 'pause', 'when empty', 'reset', 'sort', 'mark', 'filter', 'logs', 'builds', 'console', 'restart', 'select'];

/** The last layout computed: frameLayout asks for the height and the Footer for the lines, with the same props. */
let lastLayout: {props: LayoutProps; result: ReturnType<typeof computeLayout>} | null = null;

function layout(props: LayoutProps) {
	const last = lastLayout?.props;
	if (last && last.bindings === props.bindings && last.notice === props.notice && last.readOnly === props.readOnly && last.width === props.width && last.status === props.status && last.statusWraps === props.statusWraps) {
		return lastLayout!.result;
	}
	const result = computeLayout(props);
	lastLayout = {props: {bindings: props.bindings, notice: props.notice, readOnly: props.readOnly, width: props.width, status: props.status, statusWraps: props.statusWraps}, result};
	return result;
}

function computeLayout(props: LayoutProps) {
	let hints = footerHints(props.bindings);
	const pack = () => packSegments([...hints.map((h) => `${h.keys} ${h.word}`), ...(props.readOnly ? ['[read-only]'] : [])], props.width);
	let hintLines = pack();
	for (const word of DROP_ORDER) {
		if (hintLines.length <= MAX_HINT_LINES) break;
		hints = hints.filter((h) => h.word !== word);
		hintLines = pack();
	}
	const notice = props.notice;
	const noticeLines = notice ? wrapText(notice.text, props.width) : [];
	const hintText = notice?.hint ? wrapText(notice.hint, props.width) : [];
	const statusLines = props.status ? (props.statusWraps ? wrapText(props.status, props.width) : [props.status]) : [];
	return {hints, hintLines, noticeLines, hintText, statusLines};
}

/** Lines the footer takes at this width. */
export function footerHeight(props: LayoutProps): number {
	const {hintLines, noticeLines, hintText, statusLines} = layout(props);
	return statusLines.length + hintLines.length + noticeLines.length + hintText.length;
}

/** Renders the footer. Memoised, as the table is: the dashboard keeps `bindings` the same array per context. */
export const Footer = memo(function Footer(props: FooterProps) {
	const {theme, notice} = props;
	const {hints, hintLines, noticeLines, hintText, statusLines} = layout(props);
	const tone = notice?.tone === 'error' ? theme.error : notice?.tone === 'ok' ? theme.ok : {};
	return (
		<Box flexDirection="column" width={props.width}>
			{statusLines.map((line, i) => (
				<Text key={`s${i}`} {...theme.key} wrap="truncate-start">
					{line}
				</Text>
			))}
			{noticeLines.map((line, i) => (
				<Text key={`n${i}`} {...tone}>
					{line}
				</Text>
			))}
			{hintText.map((line, i) => (
				<Text key={`h${i}`}>{line}</Text>
			))}
			{hintLines.map((line, row) => (
				<Text key={`k${row}`} wrap="truncate-end">
					{line.map((index, i) => {
						const hint = hints[index];
						return (
							<Text key={index}>
								{i > 0 ? '  ' : ''}
								{hint ? <Text {...theme.key}>{hint.keys}</Text> : <Text {...theme.warning}>[read-only]</Text>}
								{hint ? ` ${hint.word}` : ''}
							</Text>
						);
					})}
				</Text>
			))}
		</Box>
	);
});
