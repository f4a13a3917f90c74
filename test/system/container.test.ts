/**
 * The container harness itself: a real systemd boots, commands run inside with
 * their stdio and exit status, and down() leaves nothing behind on the host.
 * Independent of the product (needs only the checkout bound at /src).
 */
import {existsSync, readFileSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bootContainer, systemTestSkipReason, type Container} from './harness.js';

const skip = systemTestSkipReason();
if (skip) console.warn(`system tests skipped: ${skip}`);

/** The command name of host process `pid`, or null when there is none. */
function hostComm(pid: number): string | null {
	try {
		return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
	} catch {
		return null;
	}
}

describe.skipIf(skip !== null)('container harness', () => {
	let box: Container;

	beforeAll(async () => {
		box = await bootContainer('left4me-harness', {projectDir: process.cwd()});
	});
	afterAll(async () => {
		await box?.down();
	});

	it('runs systemd as PID 1, up and running', async () => {
		expect((await box.exec(['cat', '/proc/1/comm'])).stdout.trim()).toBe('systemd');
		const state = await box.exec(['systemctl', 'is-system-running'], {reject: false});
		expect(['running', 'degraded']).toContain(state.stdout.trim());
		expect(hostComm(box.nspawnPid)).toBe('systemd-nspawn');
	});

	it('mounts cgroup2 at /sys/fs/cgroup', async () => {
		const r = await box.exec(['findmnt', '--noheadings', '--output', 'FSTYPE', '/sys/fs/cgroup']);
		expect(r.stdout.trim()).toBe('cgroup2');
	});

	it('shows the checkout read-only at /src', async () => {
		const pkg = JSON.parse((await box.exec(['cat', '/src/package.json'])).stdout) as {name: string};
		expect(pkg.name).toBe('left4me');
		const write = await box.exec(['touch', '/src/.write-probe'], {reject: false});
		expect(write.exitCode).not.toBe(0);
		expect(write.stderr).toMatch(/Read-only file system/);
	});

	it('has a private network namespace with only lo', async () => {
		const links = (await box.exec(['ip', '-o', 'link'])).stdout.trim().split('\n');
		expect(links.map((l) => l.split(':')[1]?.trim())).toEqual(['lo']);
	});

	it('passes stdin, stdout, stderr and the exit status through', async () => {
		const r = await box.exec(['sh', '-c', 'cat; echo oops >&2; exit 7'], {input: 'hello\n', reject: false});
		expect(r).toEqual({exitCode: 7, stdout: 'hello\n', stderr: 'oops\n'});
		await expect(box.exec(['false'])).rejects.toThrow(/exited 1/);
	});

	it('runs as another user with a clean environment', async () => {
		const r = await box.exec(['sh', '-c', 'id -un; echo "$HOME"; env | sort'], {user: 'nobody'});
		const [user, home, ...env] = r.stdout.trim().split('\n');
		expect([user, home]).toEqual(['nobody', '/nonexistent']);
		expect(env.map((kv) => kv.split('=')[0])).not.toContain('VITEST');
		expect((await box.exec(['id', '-u'])).stdout.trim()).toBe('0');
	});

	it('spawns a long-running command that can be killed', async () => {
		const cmd = box.spawn(['sh', '-c', 'echo started; exec sleep 300']);
		const first = await new Promise<string>((resolve) => cmd.child.stdout?.once('data', (b: Buffer) => resolve(b.toString())));
		expect(first).toBe('started\n');
		cmd.kill();
		await cmd.exited;
		// The killed sleep is reaped by PID 1 inside, a moment after the host side ends.
		let left = '';
		for (let tries = 0; tries < 50; tries++) {
			left = (await box.exec(['pgrep', '-x', 'sleep'], {reject: false})).stdout;
			if (left === '') break;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		expect(left).toBe('');
	});

	it('reboot() powers off and boots the same root again: files survive, /run and PID 1 are new', async () => {
		await box.exec(['sh', '-c', 'echo kept > /var/tmp/reboot-probe; echo gone > /run/reboot-probe']);
		const bootBefore = (await box.exec(['cat', '/proc/sys/kernel/random/boot_id'])).stdout;
		const startBefore = (await box.exec(['systemctl', 'show', '-P', 'UserspaceTimestampMonotonic'])).stdout.trim();
		const oldPid1 = box.pid1;
		await box.reboot();
		expect(box.pid1).not.toBe(oldPid1);
		expect(hostComm(box.nspawnPid)).toBe('systemd-nspawn');
		expect((await box.exec(['cat', '/var/tmp/reboot-probe'])).stdout).toBe('kept\n');
		expect((await box.exec(['test', '-e', '/run/reboot-probe'], {reject: false})).exitCode).toBe(1);
		// systemd-nspawn gives each boot of a container its own boot_id.
		expect((await box.exec(['cat', '/proc/sys/kernel/random/boot_id'])).stdout).not.toBe(bootBefore);
		const state = await box.exec(['systemctl', 'is-system-running'], {reject: false});
		expect(['running', 'degraded']).toContain(state.stdout.trim());
		expect((await box.exec(['systemctl', 'show', '-P', 'UserspaceTimestampMonotonic'])).stdout.trim()).not.toBe(startBefore);
	});

	it('down() stops nspawn and removes its cgroup; a second down() is fine', async () => {
		await box.down();
		expect(hostComm(box.nspawnPid)).not.toBe('systemd-nspawn');
		expect(box.cgroupDir).toMatch(new RegExp(`/left4me-test-${box.name}$`));
		expect(existsSync(box.cgroupDir)).toBe(false);
		await box.down();
	});
});
