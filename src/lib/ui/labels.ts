/**
 * Bilingual labels for the region overview (zh-CN first, English second). The full i18n
 * library arrives with the map workspace (issue 5); until then each label carries both.
 */
export const LAYER_LABELS: Record<string, { zh: string; en: string }> = {
	boundaries: { zh: '行政边界', en: 'Boundaries' },
	residential: { zh: '居住小区', en: 'Residential areas' },
	facilities: { zh: '养老服务设施', en: 'Care facilities' },
	network: { zh: '步行路网', en: 'Walking network' },
	buildings: { zh: '建筑', en: 'Buildings' },
	communities: { zh: '社区/村代码', en: 'Community codes' }
};

export const FIELD_LABELS: Record<string, { zh: string; en: string }> = {
	households: { zh: '户数', en: 'households' },
	elders: { zh: '60岁及以上老年人口', en: 'elders (60+)' },
	population: { zh: '常住人口', en: 'population' }
};

export function formatCount(value: number | null, unit = ''): string {
	if (value === null) return '—';
	return `${Math.round(value).toLocaleString('zh-CN')}${unit ? ` ${unit}` : ''}`;
}
