/**
 * Every colour and text style the dashboard uses, in one place. The plain
 * variant (NO_COLOR, https://no-color.org) drops colour but keeps inverse and
 * bold, and the selected row always carries a `>` marker, so nothing depends
 * on colour alone.
 */

/** Text styles for one kind of content; spread onto an Ink `<Text>`. */
export type Style = Readonly<{color?: string; bold?: boolean; dimColor?: boolean; inverse?: boolean}>;

/** The dashboard's styles. */
export type Theme = Readonly<{
	/** False for the NO_COLOR variant. */
	colour: boolean;
	title: Style;
	/** Column headings and pane titles. */
	heading: Style;
	/** The selected table row (on top of the `>` marker). */
	selected: Style;
	/** Secondary text: separators, units, placeholders. */
	muted: Style;
	ok: Style;
	warning: Style;
	error: Style;
	/** Key labels in the footer and help overlay. */
	key: Style;
	/** Filter matches in journal lines (inverse: visible without colour too). */
	match: Style;
	/** Style of an ActiveState value in the table; `start-limit-hit` for a unit that failed on its start limit. */
	state: (state: string) => Style;
	/** Style of a journal line by syslog priority (0 emerg .. 7 debug). */
	priority: (priority: number) => Style;
}>;

/** The coloured theme. */
export const colourTheme: Theme = {
	colour: true,
	title: {bold: true, color: 'cyan'},
	heading: {bold: true},
	selected: {inverse: true},
	muted: {dimColor: true},
	ok: {color: 'green'},
	warning: {color: 'yellow'},
	error: {color: 'red', bold: true},
	key: {bold: true, color: 'cyan'},
	match: {inverse: true, bold: true, color: 'yellow'},
	state: (state) => {
		if (state === 'active') return {color: 'green'};
		if (state === 'start-limit-hit') return {color: 'red', bold: true, inverse: true};
		if (state === 'failed') return {color: 'red', bold: true};
		if (state === 'activating' || state === 'deactivating' || state === 'reloading') return {color: 'yellow'};
		return {};
	},
	priority: (priority) => (priority <= 3 ? {color: 'red'} : priority === 4 ? {color: 'yellow'} : priority === 7 ? {dimColor: true} : {}),
};

/** The NO_COLOR theme: emphasis by bold and inverse only. */
export const plainTheme: Theme = {
	colour: false,
	title: {bold: true},
	heading: {bold: true},
	selected: {inverse: true},
	muted: {},
	ok: {},
	warning: {},
	error: {bold: true},
	key: {bold: true},
	match: {inverse: true, bold: true},
	state: (state) => (state === 'start-limit-hit' ? {bold: true, inverse: true} : state === 'failed' ? {bold: true} : {}),
	priority: (priority) => (priority <= 3 ? {bold: true} : {}),
};

/** Picks the theme: plain when NO_COLOR is set to a non-empty value (no-color.org). */
export function themeFor(env: NodeJS.ProcessEnv): Theme {
	return env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? plainTheme : colourTheme;
}
