/**
 * Issue 18 item 3: the writers format numbers with one cached Intl.NumberFormat per locale and
 * options instead of `toLocaleString` per cell. The strings must stay those of toLocaleString.
 */
import { describe, expect, it } from 'vitest';
import { formatAmount, intlNumberFormat } from '../../src/lib/engine/format.ts';
import { seeded } from './graph/helpers.ts';

/** Values a report holds: integers, m² with cents, shares, per-elder ratios, edge cases. */
function values(): number[] {
	const random = seeded(18);
	const list = [0, -0, 1, -1, 0.5, 0.005, 0.0005, 0.125, 2.675, 999.995, 1e21, 1e-7, NaN];
	list.push(Infinity, -Infinity, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, (1162 / 100) * 15);
	for (let i = 0; i < 3000; i++) {
		const magnitude = 10 ** Math.floor(random() * 10 - 3);
		const value = (random() - 0.2) * magnitude;
		list.push(value, Math.round(value), Math.round(value * 100) / 100);
	}
	return list;
}

describe('issue 18: cached number formats write what toLocaleString wrote', () => {
	const cases: [string, Intl.NumberFormatOptions | undefined][] = [
		['en-US', { maximumFractionDigits: 2 }],
		['en-US', { maximumFractionDigits: 3 }],
		['en-US', undefined],
		['zh-CN', { maximumFractionDigits: 1 }]
	];
	it.each(cases)('%s %o', (locale, options) => {
		const format = intlNumberFormat(locale, options);
		for (const value of values())
			expect(format.format(value)).toBe(value.toLocaleString(locale, options));
	});

	it('formatAmount is toLocaleString with at most two decimals', () => {
		for (const value of values())
			expect(formatAmount(value)).toBe(value.toLocaleString('en-US', { maximumFractionDigits: 2 }));
		expect(formatAmount(25470.255)).toBe('25,470.26');
	});

	it('hands out one formatter per locale and options', () => {
		expect(intlNumberFormat('en-US', { maximumFractionDigits: 2 })).toBe(
			intlNumberFormat('en-US', { maximumFractionDigits: 2 })
		);
		expect(intlNumberFormat('en-US', { maximumFractionDigits: 3 })).not.toBe(
			intlNumberFormat('en-US', { maximumFractionDigits: 2 })
		);
		expect(intlNumberFormat('en-US')).not.toBe(intlNumberFormat('zh-CN'));
	});
});
