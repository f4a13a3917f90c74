import {describe, expect, it} from 'vitest';
import {createProcessRunner, STOP_RESEND_MS} from '../../../source/system/runner.js';

describe('ProcessRunner.stream stop()', () => {
	it('sends SIGTERM again until the process exits (sudo can lose one that comes while it starts)', async () => {
		// Stands in for such a sudo: the first SIGTERM is lost, the next one ends it.
		const script = 'trap \'trap "exit 0" TERM\' TERM; echo ready; while :; do sleep 0.02; done';
		let out = '';
		const handle = createProcessRunner().stream(['bash', '-c', script], (text) => {
			out += text;
		});
		for (let i = 0; i < 200 && !out.includes('ready'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
		expect(out).toContain('ready');
		const stoppedAt = Date.now();
		handle.stop();
		handle.stop();
		const result = await handle.done;
		expect(result.exitCode).toBe(0);
		// One resend, not the SIGKILL fallback.
		expect(Date.now() - stoppedAt).toBeLessThan(STOP_RESEND_MS * 8);
	});

	it('stops a process that exits at the first SIGTERM without sending more', async () => {
		const handle = createProcessRunner().stream(['sleep', '30'], () => {});
		await new Promise((resolve) => setTimeout(resolve, 50));
		handle.stop();
		expect((await handle.done).exitCode).toBeNull();
	});
});
