/**
 * Stands in for `left4me-journalctl NAME --follow`: `idle` prints five lines and
 * waits; `flood` prints 20,000 lines a second (journalctl -o json shape, every
 * 50th line with a non-UTF-8 MESSAGE as a byte array, every 100th 4 KiB long)
 * for 10 s, then waits (or exits, with --exit). Ends on SIGTERM.
 */
const mode = process.argv[2] ?? 'idle';
const RATE = 20_000;
const SECONDS = 10;
let seq = 0;

function line() {
	seq++;
	const message = seq % 50 === 0 ? [0x62, 0x61, 0x64, 0xff, 0xfe, 0x20, 0x6c, 0x69, 0x6e, 0x65] : seq % 100 === 1 ? `long ${'x'.repeat(4096)}` : `flood line ${seq} map c1m1_hotel players 4/8`;
	return `${JSON.stringify({__CURSOR: `s=0;i=${seq.toString(16)}`, __REALTIME_TIMESTAMP: String(Date.now() * 1000), PRIORITY: String(seq % 13 === 0 ? 3 : 6), _SYSTEMD_UNIT: 'left4me-server@srv00.service', MESSAGE: message, _PID: '4242'})}\n`;
}

process.on('SIGTERM', () => process.exit(0));
if (mode === 'flood') {
	const started = Date.now();
	const timer = setInterval(() => {
		const elapsed = (Date.now() - started) / 1000;
		if (elapsed >= SECONDS) {
			clearInterval(timer);
			if (process.argv[3] === '--exit') process.exit(0);
			return;
		}
		const due = Math.min(RATE * SECONDS, Math.floor(elapsed * RATE)) - seq;
		let chunk = '';
		for (let i = 0; i < due; i++) chunk += line();
		if (chunk) process.stdout.write(chunk);
	}, 10);
} else {
	for (let i = 0; i < 5; i++) process.stdout.write(line());
}
setInterval(() => {}, 1 << 30);
