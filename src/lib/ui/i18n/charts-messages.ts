/**
 * Strings of the map's search box and side-panel charts (issue 15, items 5 and 6), Chinese first;
 * the English table has the Chinese one's type, so a missing translation fails the type check.
 * Mounted in messages.ts as `charts`: `t('charts.searchPlaceholder')`.
 */
export const chartsZh = {
	searchPlaceholder: '搜索小区、街道或设施',
	searchLabel: '按名称查找小区、街道或设施并定位',
	searchNone: '没有名称或编号含“{{query}}”的小区、街道或设施',
	searchCount: '{{count}} 条结果，↑ ↓ 选择，回车定位，Esc 关闭',
	kindDistrict: '区县',
	kindStreet: '街道',
	kindCommunity: '社区',
	kindCompound: '小区',
	kindFacility: '设施',
	kindPlanned: '规划',
	planned: '规划站点',
	removed: '方案中已移除',

	streetsTitle: '各街道老年人：服务圈内与圈外',
	streetsLabel: '各街道服务圈内、圈外老年人人数的条形图',
	deficitTitle: '各街道社区养老设施面积缺口',
	deficitLabel: '各街道社区养老设施面积缺口（m²）的条形图',
	covered: '圈内',
	notCovered: '圈外',
	baseline: '方案前',
	coveredBar: '{{name}}：圈内 {{covered}}，圈外 {{outside}}，占比 {{share}}',
	coveredBarChange:
		'{{name}}：圈内 {{covered}}（方案前 {{baseline}}），圈外 {{outside}}，占比 {{share}}',
	deficitBar: '{{name}}：面积缺口 {{deficit}}',
	deficitBarChange: '{{name}}：面积缺口 {{deficit}}（方案前 {{baseline}}）',
	eldersUnknown: '{{count}} 个小区老年人数未知，未计入',
	moreStreets: '另有 {{count}} 个街道，见街道表',
	withoutAreas: '{{count}} 个街道没有居住小区，未画出',
	noStreets: '没有可显示的街道：本区域还没有居住小区。',
	streetsNoNetwork: '本区域没有步行路网：服务圈内老年人未知，只显示老年人总数。',
	estimated: '* 含估算值（非官方统计）',

	histogramTitle: '老年人步行到最近站点的时间',
	histogramLabel:
		'老年人按步行到最近站点分钟数的直方图：{{minutes}} 分钟服务圈内 {{within}}，共 {{total}}',
	axisMinutes: '步行时间（分钟）',
	axisElders: '老年人（人）',
	circleMark: '{{minutes}} 分钟服务圈',
	unreached: '不可达',
	unknown: '未知',
	binTitle: '{{from}}–{{to}} 分钟：老年人 {{elders}}（{{areas}} 个小区）',
	unreachedTitle: '{{minutes}} 分钟内无站点或不在步行路网上：老年人 {{elders}}（{{areas}} 个小区）',
	unknownTitle: '步行时间未知：老年人 {{elders}}（{{areas}} 个小区）',
	withinTotal: '服务圈内 {{within}} / {{total}}（{{share}}）',
	minutesUnknown: '本区域没有步行路网：步行时间未知（老年人 {{elders}}）。',
	noAreas: '本区域没有居住小区，无法统计步行时间。',
	estimatedElders: '* 老年人数为估算值（非官方统计）'
};

export const chartsEn: typeof chartsZh = {
	searchPlaceholder: 'Search compounds, streets, facilities',
	searchLabel: 'Find a compound, street or facility by name and zoom to it',
	searchNone: 'No compound, street or facility has “{{query}}” in its name or id',
	searchCount: '{{count}} results: ↑ ↓ to choose, Enter to zoom, Esc to close',
	kindDistrict: 'District',
	kindStreet: 'Street',
	kindCommunity: 'Community',
	kindCompound: 'Compound',
	kindFacility: 'Facility',
	kindPlanned: 'Planned',
	planned: 'planned station',
	removed: 'taken out in the plan',

	streetsTitle: 'Elders by street: within and outside the circle',
	streetsLabel: 'Bar chart of elders within and outside the circle, by street',
	deficitTitle: 'Community care floor-area deficit by street',
	deficitLabel: 'Bar chart of the community care floor-area deficit (m²), by street',
	covered: 'within',
	notCovered: 'outside',
	baseline: 'before the plan',
	coveredBar: '{{name}}: {{covered}} within, {{outside}} outside, {{share}}',
	coveredBarChange:
		'{{name}}: {{covered}} within ({{baseline}} before the plan), {{outside}} outside, {{share}}',
	deficitBar: '{{name}}: floor-area deficit {{deficit}}',
	deficitBarChange: '{{name}}: floor-area deficit {{deficit}} ({{baseline}} before the plan)',
	eldersUnknown: '{{count}} areas with unknown elders, not counted',
	moreStreets: '{{count}} more streets in the street table',
	withoutAreas: '{{count}} streets without residential areas, not drawn',
	noStreets: 'No streets to show: the region has no residential areas yet.',
	streetsNoNetwork:
		'The region has no walking network: elders within the circle are unknown; totals only.',
	estimated: '* includes estimates (not official statistics)',

	histogramTitle: 'Elders by walking time to the nearest facility',
	histogramLabel:
		'Histogram of elders by walking minutes to the nearest facility: {{within}} of {{total}} within the {{minutes}}-minute circle',
	axisMinutes: 'walking time (min)',
	axisElders: 'elders (persons)',
	circleMark: '{{minutes}}-min circle',
	unreached: 'unreached',
	unknown: 'unknown',
	binTitle: '{{from}}–{{to}} min: {{elders}} elders ({{areas}} areas)',
	unreachedTitle:
		'No facility within {{minutes}} min, or off the walking network: {{elders}} elders ({{areas}} areas)',
	unknownTitle: 'Walking time unknown: {{elders}} elders ({{areas}} areas)',
	withinTotal: 'Within the circle {{within}} of {{total}} ({{share}})',
	minutesUnknown: 'The region has no walking network: walking times unknown ({{elders}} elders).',
	noAreas: 'The region has no residential areas: no walking times to count.',
	estimatedElders: '* elders are estimates (not official statistics)'
};
