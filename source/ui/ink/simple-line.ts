/**
 * Lines that can be measured and split into cells without grapheme segmentation: characters
 * that are each one grapheme cluster and one cell wide whatever comes next to them, and SGR
 * sequences (`ESC [ params m`, which ansi-tokenize takes as one code and string-width strips).
 * The characters: printable ASCII, middle dot, ellipsis, arrows, box drawing and block
 * elements (Grapheme_Cluster_Break Other in Unicode UAX #29, so each is a cluster of its own;
 * East Asian Width narrow or ambiguous, which string-width counts as one cell). The
 * dashboard's header, table rows and most journal lines are such lines; anything else goes
 * through string-width and ansi-tokenize, whose first use also compiles their Unicode
 * property regular expressions.
 */

/** True for a character of a simple line (a UTF-16 code unit; none of them is a surrogate). */
function isOneCell(c: number): boolean {
	return (c >= 0x20 && c <= 0x7e) || c === 0xb7 || c === 0x2026 || (c >= 0x2190 && c <= 0x21ff) || (c >= 0x2500 && c <= 0x259f);
}

/**
 * The width in cells of a simple line (its characters, SGR sequences not counted), or -1 when
 * `line` is not one. One pass over the code units, no regular expression.
 */
export function simpleWidth(line: string): number {
	let width = 0;
	for (let i = 0; i < line.length; i++) {
		const c = line.charCodeAt(i);
		if (c === 0x1b) {
			if (line.charCodeAt(i + 1) !== 0x5b) return -1;
			let j = i + 2;
			for (let d = line.charCodeAt(j); (d >= 0x30 && d <= 0x39) || d === 0x3b; d = line.charCodeAt(++j));
			if (line.charCodeAt(j) !== 0x6d) return -1;
			i = j;
		} else if (isOneCell(c)) width++;
		else return -1;
	}
	return width;
}
