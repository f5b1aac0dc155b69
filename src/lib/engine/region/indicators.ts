/**
 * Indicator tables (issue 16): the figures a bureau reports every year per street, district or
 * institution — beds, family care beds, social workers, visits, assessments, meal points — which
 * no map layer holds. Each row is one place on one date from one source, so every value the
 * targets view shows can say how old it is and where it came from.
 *
 * Stored per region as `layers.indicators` (a JSON array of rows, like `layers.communities`).
 */
import { z } from 'zod';
import { adminCode } from './schema.ts';

/** The level a row describes: a street (街道/镇), a district (区/县), one institution (机构). */
export const INDICATOR_LEVELS = ['street', 'district', 'institution'] as const;
export type IndicatorLevel = (typeof INDICATOR_LEVELS)[number];

export const INDICATOR_LEVEL_NAMES_ZH: Record<IndicatorLevel, string> = {
	street: '街道',
	district: '区县',
	institution: '机构'
};

/**
 * Every indicator a row may carry: its key, the Chinese header a bureau's sheet uses, the English
 * label, its unit, and whether it is a count (summed from streets to their district) or a share
 * (0–1, never summed).
 */
export const INDICATORS = {
	nursingBeds: { zh: '护理型床位', en: 'Nursing-type beds', unit: '张', kind: 'count' },
	beds: { zh: '床位总数', en: 'Institution beds', unit: '张', kind: 'count' },
	familyBeds: { zh: '家庭养老床位', en: 'Family care beds', unit: '张', kind: 'count' },
	socialWorkers: { zh: '社工人数', en: 'Social workers', unit: '人', kind: 'count' },
	specialElders: {
		zh: '特殊困难老年人数',
		en: 'Older people in special difficulty',
		unit: '人',
		kind: 'count'
	},
	visitRate: { zh: '月探访率', en: 'Monthly visit rate', unit: '%', kind: 'share' },
	elders80: { zh: '80岁以上老年人数', en: 'Residents aged 80+', unit: '人', kind: 'count' },
	assessed80: {
		zh: '能力评估人数',
		en: 'Residents 80+ with an ability assessment',
		unit: '人',
		kind: 'count'
	},
	mealPoints: { zh: '助餐点', en: 'Meal points', unit: '处', kind: 'count' }
} as const satisfies Record<
	string,
	{ zh: string; en: string; unit: string; kind: 'count' | 'share' }
>;
export type IndicatorKey = keyof typeof INDICATORS;
export const INDICATOR_KEYS = Object.keys(INDICATORS) as IndicatorKey[];

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

const indicatorValue = z
	.number({ error: 'expected a number' })
	.finite({ error: 'expected a number' })
	.nonnegative({ error: 'expected a number ≥ 0' });

export const indicatorRow = z
	.object({
		level: z.enum(INDICATOR_LEVELS, { error: 'expected street, district or institution' }),
		/** GB/T 2260 code of the street or district; an institution's facility id. */
		code: z.string().trim().min(1, { error: 'expected a code' }),
		name: z.string().trim().min(1, { error: 'expected a name' }),
		/** For an institution: the district or street it belongs to, when the sheet says. */
		parentCode: adminCode.optional(),
		/** The date the figures describe (统计日期), YYYY-MM-DD. */
		asOf: z.string().regex(CALENDAR_DATE, { error: 'expected a date YYYY-MM-DD' }),
		/** Where the figures come from (数据来源): the statistics report, the bureau's register … */
		source: z.string().trim().min(1, { error: 'expected the source of the figures' }),
		/** Values present in the sheet; a blank cell is absent, never 0. Shares are 0–1. */
		values: z.partialRecord(
			z.enum(INDICATOR_KEYS as [IndicatorKey, ...IndicatorKey[]]),
			indicatorValue
		)
	})
	.strict()
	.superRefine((row, context) => {
		const rate = row.values.visitRate;
		if (rate !== undefined && rate > 1)
			context.addIssue({
				code: 'custom',
				path: ['values', 'visitRate'],
				message: 'expected a share between 0 and 1 (0.98 = 98 %)'
			});
	});
export type IndicatorRow = z.infer<typeof indicatorRow>;

export const indicatorTable = z.array(indicatorRow);
