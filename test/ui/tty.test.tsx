/**
 * The dashboard's frames on a real terminal: tmux runs the Ink renderer with the
 * dashboard's options and capture-pane reads the screen. Catches what
 * ink-testing-library cannot see: cursor movement between frames.
 */
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
const SESSION = `left4me-tty-${process.pid}`;
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('tmux not found: the terminal frame test is skipped (apt-get install tmux)');

const tmux = (...args: string[]) => spawnSync('tmux', args, {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-p', '-t', SESSION).stdout;

async function until(predicate: () => boolean, ms: number): Promise<void> {
	const end = Date.now() + ms;
	while (!predicate()) {
		if (Date.now() > end) throw new Error(`condition not met; screen:\n${screen()}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

afterAll(() => {
	if (hasTmux) tmux('kill-session', '-t', SESSION);
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
});
