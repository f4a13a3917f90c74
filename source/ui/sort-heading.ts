/**
 * The heading line of a table whose sorted column carries a marker (▼, or ▲ reversed) that
 * costs no width: column widths are fitted without it, so they do not change with the sort. Pure.
 */
import {fitText, textWidth, type FittedColumn} from './layout.js';

/** The sorted column and its marker. */
export type SortMark = Readonly<{id: string; marker: string}>;

/**
 * The headings of fitted columns, separated by one space, exactly as wide as the columns and
 * their gaps, after `lead` (blank cells before the first column, e.g. a selection column); each
 * heading stays aligned as the column's values are. The marker goes beside the sorted column's
 * heading on the side away from its alignment, so the heading does not move, in the first blank
 * cell of: inside the column on that side; the gap on that side (after a left-aligned heading,
 * before a right-aligned one); the gap on the other side. A gap only counts when the neighbouring
 * heading does not reach it, so the marker never joins two headings. With no such cell it takes
 * the heading's last (left-aligned) or first (right-aligned) cell.
 * @param width screen columns the line may take, `lead` included
 */
export function sortHeading(columns: readonly FittedColumn[], sorted: SortMark | null, width: number, lead = ''): string {
	const parts = columns.map((c) => fitText(c.spec.header, c.width, c.spec.align));
	// gaps[i] comes before parts[i]; the one after the last column only when the line has room.
	const gaps: string[] = [lead, ...columns.slice(1).map(() => ' '), ''];
	const k = sorted ? columns.findIndex((c) => c.spec.id === sorted.id) : -1;
	if (sorted && k >= 0) {
		const c = columns[k]!;
		const cells = [...parts[k]!];
		const right = c.spec.align === 'right';
		const before = gaps[k]!.endsWith(' ') && (k === 0 || parts[k - 1]!.endsWith(' '));
		const after = k < columns.length - 1 ? parts[k + 1]!.startsWith(' ') : textWidth(lead + parts.join(' ')) < width;
		const setBefore = () => (gaps[k] = gaps[k]!.slice(0, -1) + sorted.marker);
		const setAfter = () => (gaps[k + 1] = sorted.marker);
		if (textWidth(c.spec.header) < c.width) parts[k] = fitText(right ? sorted.marker + c.spec.header : c.spec.header + sorted.marker, c.width, c.spec.align);
		else if (right ? before : after) (right ? setBefore : setAfter)();
		else if (right ? after : before) (right ? setAfter : setBefore)();
		else parts[k] = right ? sorted.marker + cells.slice(1).join('') : cells.slice(0, -1).join('') + sorted.marker;
	}
	return parts.map((p, i) => gaps[i] + p).join('') + gaps[columns.length];
}
