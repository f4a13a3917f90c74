import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		projects: [
			{
				test: {
					name: 'unit',
					include: ['test/unit/**/*.test.ts', 'test/ui/**/*.test.tsx', 'test/helpers/**/*.test.ts'],
					environment: 'node',
				},
			},
			{
				test: {
					name: 'system',
					include: ['test/system/**/*.test.ts'],
					environment: 'node',
					// One container is booted for the whole file; its tests run in order.
					fileParallelism: false,
					testTimeout: 120_000,
					hookTimeout: 600_000,
				},
			},
		],
	},
});
