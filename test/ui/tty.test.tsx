/**
 * The dashboard's frames on a real terminal: tmux runs the Ink renderer with the
 * dashboard's options and capture-pane reads the screen. Catches what
 * ink-testing-library cannot see: cursor movement between frames.
 */
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
// @ts-expect-error: a plain ES module of the build, without type declarations
import {bundle} from '../../deploy/bundle.mjs';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
const SESSION = `left4me-tty-${process.pid}`;
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('tmux not found: the terminal frame test is skipped (apt-get install tmux)');

const tmux = (...args: string[]) => spawnSync('tmux', args, {encoding: 'utf8'});
const screen = (session = SESSION) => tmux('capture-pane', '-p', '-t', session).stdout;
/** The screen with its colours and attributes, as escape sequences. */
const styledScreen = (session: string) => tmux('capture-pane', '-p', '-e', '-t', session).stdout;
const sessions = [SESSION];

async function until(predicate: () => boolean, ms: number, session = SESSION): Promise<void> {
	const end = Date.now() + ms;
	while (!predicate()) {
		if (Date.now() > end) throw new Error(`condition not met; screen:\n${screen(session)}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

afterAll(() => {
	if (hasTmux) for (const s of sessions) tmux('kill-session', '-t', s);
});

describe.skipIf(!hasTmux)('frames in tmux', () => {
	it('redraws in place: no stale first frame, header once, frame starts on the top row', async () => {
		const command = `cd ${PROJECT} && exec node --import tsx test/ui/support/tty-frames.tsx`;
		expect(tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '30', command).status).toBe(0);
		await until(() => screen().includes('frame ready'), 60_000);
		const lines = screen().split('\n');
		expect(lines[0]).toMatch(/^left4me {2}host 37\.5% of 4 cores {2}load 0\.42/);
		expect(screen()).not.toContain('collecting');
		expect(lines.filter((l) => l.startsWith('left4me'))).toHaveLength(1);
		expect(lines.filter((l) => /^ {2}NAME/.test(l))).toHaveLength(1);
		expect(lines.filter((l) => l.startsWith('> alpha'))).toHaveLength(1);
		expect(lines.find((l) => l.startsWith('> alpha'))).toContain('30.5');
		expect(lines.filter((l) => l.includes('a notice that takes one line'))).toHaveLength(0);
	}, 90_000);

	it('the bundle, with its own frame compositor and text caches, draws the same screen as Ink, colours included', async () => {
		// deploy/bundle.mjs replaces four of Ink's modules (INK_REPLACEMENTS); tsx runs Ink's own.
		const out = mkdtempSync(join(tmpdir(), 'left4me-tty-bundle-'));
		try {
			await bundle({entry: 'test/ui/support/tty-frames.tsx', outdir: out});
			const runs = {ink: `exec node --import tsx test/ui/support/tty-frames.tsx colour`, bundle: `exec node ${join(out, 'main.js')} colour`};
			const screens: Record<string, string> = {};
			for (const [name, command] of Object.entries(runs)) {
				const session = `${SESSION}-${name}`;
				sessions.push(session);
				expect(tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `cd ${PROJECT} && FORCE_COLOR=3 ${command}`).status).toBe(0);
				await until(() => screen(session).includes('frame ready'), 60_000, session);
				screens[name] = styledScreen(session);
			}
			// Coloured, or the comparison would prove little.
			expect(screens.ink).toContain('\u001B[');
			expect(screens.ink).toMatch(/> alpha.*30\.5/);
			expect(screens.bundle).toBe(screens.ink);
		} finally {
			rmSync(out, {recursive: true, force: true});
		}
	}, 120_000);
});

