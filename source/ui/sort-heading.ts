/**
 * The heading line of a table whose sorted column carries a marker (▼, or ▲ reversed) that
 * costs no width: column widths are fitted without it, so they do not change with the sort. Pure.
 */
import {fitText, textWidth, type FittedColumn} from './layout.js';

/** The sorted column and its marker. */
export type SortMark = Readonly<{id: string; marker: string}>;

/**
 * The headings of fitted columns, separated by one space, exactly as wide as the columns and
 * their gaps. The marker follows the sorted column's heading: inside the column when the
 * heading leaves it a cell, else in the gap after it, else (the last column, filling `width`)
 * in place of the heading's last cell.
 * @param width screen columns the line may take
 */
export function sortHeading(columns: readonly FittedColumn[], sorted: SortMark | null, width: number): string {
	const parts = columns.map((c) => fitText(c.spec.header, c.width, c.spec.align));
	const gaps: string[] = columns.map((_, i) => (i === columns.length - 1 ? '' : ' '));
	const k = sorted ? columns.findIndex((c) => c.spec.id === sorted.id) : -1;
	if (sorted && k >= 0) {
		const c = columns[k]!;
		const used = textWidth(parts.join(' '));
		if (textWidth(c.spec.header) < c.width) parts[k] = fitText(c.spec.header + sorted.marker, c.width, c.spec.align);
		else if (k < columns.length - 1) gaps[k] = sorted.marker;
		else if (used < width) gaps[k] = sorted.marker;
		else parts[k] = fitText([...c.spec.header].slice(0, Math.max(0, c.width - 1)).join('') + sorted.marker, c.width, c.spec.align);
	}
	return parts.map((p, i) => p + gaps[i]).join('');
}
