/**
 * Every string of the map workspace, in Chinese (default) and English. The English table has the
 * type of the Chinese one, so a missing translation fails the type check; tests/ui/messages.test.ts
 * checks that every key the components use exists. The engine's coded words (verdicts, statuses)
 * are taken from `engine/labels.ts`, so the map says what the reports say.
 */
import {
	AREA_VERDICT,
	DOCUMENT_STATUS,
	FACILITY_STATUS,
	LEVEL_VERDICT,
	PROJECT_VERDICT,
	enOf,
	zhOf
} from '../../engine/labels.ts';
import { chartsEn, chartsZh } from './charts-messages.ts';
import { exportEn, exportZh } from './export-messages.ts';

export const zhCN = {
	charts: chartsZh,
	export: exportZh,
	app: { title: '地图工作台', subtitle: '15分钟养老服务圈', regions: '区域列表' },
	tabs: {
		label: '工作台功能',
		overview: '概览',
		stations: '站点与方案',
		siting: '选址',
		evaluation: '项目评估',
		export: '导出',
		targets: '目标',
		data: '数据'
	},
	targets: {
		dated: '按今天（{{date}}）判定：目标年份 12 月 31 日之后仍未达到的为逾期。',
		noIndicators: '本区域还没有导入指标表：床位、社工、探访、评估等目标无法判定。',
		import: '去导入',
		onMap: '在地图上显示逾期',
		dueBy: '{{year}} 年底前',
		noYear: '未定年份',
		level: '层级',
		all: '全部',
		status: '状态',
		target: '目标',
		place: '地区',
		due: '年份',
		now: '现值 / 目标',
		gap: '差距',
		fromLayers: '区域图层（设施、居住区）',
		none: '所选规则集没有可跟踪的目标。'
	},
	profileStatus: {
		in_force: '现行',
		draft: '草案',
		expired: '已失效',
		long: zhOf(DOCUMENT_STATUS)
	},
	jurisdiction: {
		governs: '规则适用于 {{place}}。',
		partly: '注意：本区域只有一部分属于 {{place}}，其余部分按他地规则计算，结论仅供参考。',
		other: '注意：所选规则集属于 {{place}}，本区域不在其范围内——结论只演示工具用法，不是当地要求。',
		unknown: '所选规则集属于 {{place}}；本区域边界无行政区划代码，无法核对是否适用。',
		regionDefault: '本区域默认规则集：{{place}}。'
	},
	panel: {
		region: '区域',
		profile: '规则集',
		draft: '征求意见稿/草案',
		minutes: '服务圈',
		customMinutes: '自定义分钟数',
		apply: '应用',
		speed: '步行速度',
		frail: '体弱老人',
		noNetwork:
			'本区域没有步行路网：无法计算步行覆盖。用 npm run region:build -- --region <id> --osm <文件.osm.pbf> 添加路网。'
	},
	unit: { min: '分钟', persons: '人', households: '户', elders: '老年人' },
	card: {
		eldersCovered: '服务圈内老年人',
		deficit: '配建面积缺口',
		areasDeficit: '{{count}} / {{total}} 个小区不达标',
		streetsFailing: '不达标街道',
		districtsFailing: '区县 {{count}} / {{total}} 不达标',
		denominators:
			'分母：{{areas}} 个小区；{{streets}} 个街道；{{districts}} 个区县 = 区域边界涉及的全部区县（其中 {{withAreas}} 个有小区）。',
		estimates: '* 户数、老年人数为估算值（非官方统计），方法见区域说明。',
		regionFindings: '全区域判定'
	},
	stations: {
		title: '规划站点（方案推演）',
		add: '在地图上添加站点',
		adding: '点击地图放置站点…（再次点击结束）',
		kind: '站点类型',
		floorArea: '建筑面积',
		undo: '撤销',
		redo: '重做',
		count: '已规划 {{count}} 处',
		name: '站点名称',
		delete: '删除',
		dragHint: '拖动橙色站点可移动，覆盖与街道指标实时更新。',
		removeExisting: '在方案中移除此设施',
		restoreExisting: '恢复此设施',
		resetMoved: '复位到原位置',
		existingHint: '现有设施也可拖动：移动和移除只属于当前方案，不改动区域数据。',
		selectHint: '点击地图上的站点可改名、改面积或删除；拖动即移动。',
		removedTag: '移除'
	},
	kind: {
		street_center: '街道综合养老服务中心',
		community_station: '社区养老服务站',
		day_care: '日间照料中心',
		institution: '养老机构',
		meal_point: '助餐点',
		rural_station: '农村幸福院'
	},
	status: {
		new: '新建居住区',
		existing: '已建成居住区',
		loading: '加载中…',
		engine: '引擎计算 {{ms}} ms · 首次出图 {{first}} ms'
	},
	facilityStatus: zhOf(FACILITY_STATUS),
	detail: {
		estimate: '估算',
		required: '应配建',
		provided: '已配建',
		minutes: '到最近站点步行',
		snap: '入口距步行路网',
		catchment: '服务圈覆盖 {{areas}} 个小区、{{elders}} 名老年人，其中仅由本站覆盖 {{only}} 人',
		rule: '依据',
		close: '关闭'
	},
	street: {
		title: '街道',
		name: '街道',
		elders: '老年人',
		covered: '圈内（占比）',
		change: '变化',
		deficit: '面积缺口',
		verdict: '结论'
	},
	verdict: zhOf(LEVEL_VERDICT),
	areaVerdict: zhOf(AREA_VERDICT),
	legend: {
		title: '图例与图层',
		fold: '收起图例',
		layers: '图层开关',
		unfold: '展开图例',
		colorBy: '小区着色',
		verdict: '配建结论',
		minutes: '步行分钟',
		unreached: '不可达',
		planned: '规划站点',
		isochrone: '所选站点 {{minutes}} 分钟可达范围（道路 + 50 m 带）',
		sizeByArea: '圆点大小 = 建筑面积',
		estimated: '虚线边框 = 户数/老年人为估算值（非官方统计）'
	},
	choropleth: {
		level: '专题图层级',
		measure: '专题指标',
		district: '区县',
		street: '街道',
		share: '服务圈内老年人占比',
		deficit: '配建面积缺口',
		land: '人均社会福利用地',
		shareLegend: '红 → 绿：0 % → 100 % 老年人在服务圈内；灰 = 无数据',
		deficitLegend: '浅 → 深红：缺口 m² 由小到大（相对最大者）；绿 = 无缺口；灰 = 无数据',
		landLegend: '红 → 绿：人均用地 ÷ 规则下限（1 = 达标）；灰 = 无数据或规则未规定',
		overdue: '逾期未达标的目标',
		overdueLegend: '绿 = 没有逾期目标；浅 → 深红：逾期目标由少到多；灰 = 目标均无数据'
	},
	scenarios: {
		readOnly: '您的角色只能查看方案（保存、删除需民政角色）',
		share: '共享给其他单位',
		unshare: '取消共享',
		sharedBy: '其他单位共享的方案（只读）',
		title: '方案（保存与比较）',
		name: '方案名称',
		namePlaceholder: '例如：陆家嘴新增 2 处站点',
		save: '保存为新方案',
		saveOver: '保存（覆盖当前方案）',
		saveAsNew: '另存为新方案',
		empty: '本区域还没有保存的方案。',
		stations: '{{count}} 处规划站点',
		covered: '圈内老年人',
		deficit: '面积缺口',
		open: '打开',
		duplicate: '复制',
		delete: '删除',
		compare: '比较',
		compareRun: '比较 A 与 B',
		differ: '两个方案的规则集或步行设置不同',
		summaryCovered: '圈内老年人 {{a}} → {{b}}（{{change}}）',
		summaryDeficit: '面积缺口 {{a}} → {{b}}（{{change}}）',
		coveredAB: '圈内老年人 A → B',
		deficitAB: '面积缺口 A → B'
	},
	siting: {
		title: '选址优化（建议新站点）',
		noNetwork: '本区域没有步行路网，无法选址。',
		mclp: '新增站点数 k，覆盖最多老年人',
		lscp: '最少站点数，使服务圈内老年人达到',
		target: '目标占比',
		candidates: '候选点',
		network: '路网全部节点',
		network50: '路网节点（每 50 m 一个）',
		buildings: '区域内公共 / 商业建筑（{{count}} 处；数据中无空置信息）',
		street: '街道内路网点：{{name}}',
		upload: '上传候选点清单（XLSX / CSV / GeoJSON / SHP，含名称、经纬度、建筑面积）',
		uploaded: '清单 {{file}}（{{count}} 处）',
		uploadIssues: '清单中 {{count}} 条问题（已跳过或已修正的行）',
		capacity: '按面积容量（每站 {{m2}} m²，按规则折算服务户数）',
		exact: '精确求解（HiGHS）',
		run: '计算建议站点',
		cancel: '取消',
		stage: { candidates: '准备候选点…', matrix: '计算步行可达…', solve: '求解…', done: '完成' },
		result: '服务圈内老年人：{{before}}（{{beforeShare}}）→ {{after}}（{{afterShare}}）',
		methodExact: '精确解（{{solver}}），与最优差距 {{gap}}，候选点 {{candidates}} 个',
		methodGreedy: '贪心解，与上界差距 ≤ {{gap}}，候选点 {{candidates}} 个',
		unreachable: '目标不可达，最多 {{share}}',
		equivalent: '另有 {{count}} 个等效位置',
		accept: '采纳',
		acceptAll: '全部采纳为规划站点',
		drop: '放弃建议',
		contributions: '各站点贡献',
		station: '站点（* 建议）',
		reached: '覆盖老年人',
		onlyHere: '仅由本站覆盖',
		ifRemoved: '撤除后变化'
	},
	evaluation: {
		readOnly: '您的角色只能查看评估（保存需规划角色）',
		title: '新建居住项目评估',
		name: '项目名称',
		status: '项目状态',
		fromFloorArea: '按住宅建筑面积折算户数',
		floorArea: '住宅建筑面积',
		dwelling: '户均建筑面积',
		perHousehold: 'm²/户',
		households: '户数',
		draw: '在地图上绘制用地边界',
		finish: '完成边界（已 {{count}} 点）',
		addFacility: '放置项目配建设施（{{kind}} {{m2}} m²）',
		clear: '清除项目',
		upload: '或上传边界（GeoJSON / 压缩的 SHP）',
		run: '评估',
		needBoundary: '请先绘制或上传用地边界（至少 3 点）',
		verdict: zhOf(PROJECT_VERDICT),
		approvalConditions: '审批附加条件',
		incomplete: '部分检查无法进行，见下文',
		floor: '应配建 {{required}}，已配建 {{provided}}（{{households}} 户，老年人约 {{elders}} 人）',
		nearest: '最近站点：{{name}}，步行 {{minutes}}',
		street: '{{name}}：圈内老年人 {{covered}}，面积缺口 {{deficit}}（与项目前比较）',
		print: '打开打印版报告（A4，可另存为 PDF）',
		save: '保存本次评估',
		history: '已保存的评估',
		noHistory: '本区域还没有保存的评估。',
		rerun: '按现行规则和数据重新评估',
		savedReport: '报告',
		unchanged: '与保存时相比没有变化。',
		saveRerun: '保存新结果（新版本）'
	},
	layer: {
		areas: '居住小区',
		facilities: '设施',
		districts: '街道/区县专题图',
		isochrone: '可达范围',
		labels: '标注'
	},
	/** The region import page (routes/regions/[id]/import): the indicator table (issue 16). */
	importPage: {
		indicators: '指标表',
		indicatorsHint:
			'每行是一个街道、区县或机构在一个统计日期的数字（护理型床位、床位总数、家庭养老床位、社工人数、特殊困难老年人数、月探访率、80岁以上老年人数、能力评估人数、助餐点）；CSV 或 XLSX，空格表示没有数据（不是 0）。',
		asOf: '统计日期（表中没有此列时）',
		source: '数据来源（表中没有此列时）',
		mergeRule: '同一层级、代码和统计日期的行被替换，其余行保留：可以一次导入一年。',
		rowsRead: '读取 {{read}} 行，其中 {{errors}} 行有错误；可导入 {{rows}} 行',
		dates: '统计日期：{{dates}}',
		change:
			'指标表：{{before}} → {{after}} 行 · 替换 {{replaced}} 行（同一层级、代码、日期）· 新增 {{added}} · 保留其他 {{kept}} 行',
		firstRows: '前 {{count}} 行（将保存的内容）',
		level: '层级',
		code: '代码',
		name: '名称',
		parent: '所属',
		asOfColumn: '统计日期',
		sourceColumn: '数据来源',
		values: '指标',
		street: '街道',
		district: '区县',
		institution: '机构',
		imported: '已导入指标表：现有 {{after}} 行（上一版本已保存为 #{{seq}}）'
	}
};

export type Messages = typeof zhCN;

export const en: Messages = {
	charts: chartsEn,
	export: exportEn,
	app: { title: 'Map workspace', subtitle: '15-minute elderly-care circles', regions: 'Regions' },
	tabs: {
		label: 'Workspace jobs',
		overview: 'Overview',
		stations: 'Stations & plans',
		siting: 'Siting',
		evaluation: 'Projects',
		export: 'Export',
		targets: 'Targets',
		data: 'Data'
	},
	targets: {
		dated:
			'Judged on today ({{date}}): a target not reached after 31 December of its year is overdue.',
		noIndicators:
			'No indicator table imported for this region: beds, social workers, visits and assessments cannot be judged.',
		import: 'Import one',
		onMap: 'Show overdue on the map',
		dueBy: 'due end-{{year}}',
		noYear: 'no year set',
		level: 'Level',
		all: 'All',
		status: 'Status',
		target: 'Target',
		place: 'Place',
		due: 'Year',
		now: 'Now / target',
		gap: 'Gap',
		fromLayers: 'Region layers (facilities, compounds)',
		none: 'The chosen profile has no target to track.'
	},
	profileStatus: {
		in_force: 'in force',
		draft: 'draft',
		expired: 'expired',
		long: enOf(DOCUMENT_STATUS)
	},
	jurisdiction: {
		governs: 'The rules apply to {{place}}.',
		partly:
			'Note: only part of this region lies in {{place}}; the rest is judged by rules of another place, for reference only.',
		other:
			'Note: the rule profile belongs to {{place}} and this region lies outside it — the findings only demonstrate the tool, they are not local requirements.',
		unknown:
			'The rule profile belongs to {{place}}; this region has no administrative codes, so whether it applies cannot be checked.',
		regionDefault: "The region's default profile: {{place}}."
	},
	panel: {
		region: 'Region',
		profile: 'Rule profile',
		draft: 'draft',
		minutes: 'Circle',
		customMinutes: 'Custom minutes',
		apply: 'Apply',
		speed: 'Walking speed',
		frail: 'frail elders',
		noNetwork:
			'This region has no walking network: walking coverage cannot be computed. Add one with npm run region:build -- --region <id> --osm <file.osm.pbf>.'
	},
	unit: { min: 'min', persons: 'persons', households: 'households', elders: 'elders' },
	card: {
		eldersCovered: 'Elders within the circle',
		deficit: 'Floor-area deficit',
		areasDeficit: '{{count}} of {{total}} areas short',
		streetsFailing: 'Streets failing',
		districtsFailing: 'districts {{count}} of {{total}} failing',
		denominators:
			'Counted: areas {{areas}}; streets {{streets}}; districts {{districts}} = every district the region’s boundaries touch ({{withAreas}} with areas).',
		estimates:
			'* Households and elders are estimates (not official counts); see the region notes for the method.',
		regionFindings: 'Findings on the whole region'
	},
	stations: {
		title: 'Planned stations (what-if)',
		add: 'Add a station on the map',
		adding: 'Click the map to place… (click here to stop)',
		kind: 'Station kind',
		floorArea: 'Floor area',
		undo: 'Undo',
		redo: 'Redo',
		count: '{{count}} planned',
		name: 'Station name',
		delete: 'Delete',
		dragHint: 'Drag an orange station to move it; coverage and street figures update as you drag.',
		removeExisting: 'Take out of the plan',
		restoreExisting: 'Put back',
		resetMoved: 'Back to its place',
		existingHint:
			'Existing facilities can be dragged too: moves and removals belong to this plan, not to the region’s data.',
		selectHint:
			'Click a station on the map to rename it, change its floor area or delete it; drag to move.',
		removedTag: 'removed'
	},
	kind: {
		street_center: 'Street comprehensive centre',
		community_station: 'Community station',
		day_care: 'Day-care centre',
		institution: 'Care institution',
		meal_point: 'Meal point',
		rural_station: 'Village station'
	},
	status: {
		new: 'New residential area',
		existing: 'Existing residential area',
		loading: 'Loading…',
		engine: 'engine {{ms}} ms · first map {{first}} ms'
	},
	facilityStatus: enOf(FACILITY_STATUS),
	detail: {
		estimate: 'estimate',
		required: 'Required',
		provided: 'provided',
		minutes: 'walk to nearest',
		snap: 'access point to the network',
		catchment:
			'Reaches {{areas}} areas and {{elders}} elders within the circle; {{only}} of them only through this station',
		rule: 'Rule',
		close: 'Close'
	},
	street: {
		title: 'Streets',
		name: 'Street',
		elders: 'Elders',
		covered: 'In circle (share)',
		change: 'Change',
		deficit: 'Deficit',
		verdict: 'Verdict'
	},
	verdict: enOf(LEVEL_VERDICT),
	areaVerdict: enOf(AREA_VERDICT),
	legend: {
		title: 'Legend and layers',
		fold: 'Fold the legend',
		layers: 'Layers',
		unfold: 'Unfold the legend',
		colorBy: 'Colour areas by',
		verdict: 'verdict',
		minutes: 'walking minutes',
		unreached: 'unreached',
		planned: 'planned station',
		isochrone: 'selected station: {{minutes}}-minute reach (streets + 50 m band)',
		sizeByArea: 'dot size = floor area',
		estimated: 'dashed outline = households / elders are estimates (not official counts)'
	},
	choropleth: {
		level: 'Choropleth level',
		measure: 'Choropleth measure',
		district: 'districts',
		street: 'streets',
		share: 'share of elders within the circle',
		deficit: 'floor-area deficit',
		land: 'welfare land per elder',
		shareLegend: 'red → green: 0 % → 100 % of elders within the circle; grey = no data',
		deficitLegend:
			'light → dark red: deficit m², small → large (relative to the largest); green = none; grey = no data',
		landLegend:
			'red → green: land per elder ÷ the rule’s minimum (1 = met); grey = no data or no rule',
		overdue: 'overdue targets',
		overdueLegend:
			'green = no overdue target; light → dark red: few → many overdue targets; grey = no target with data'
	},
	scenarios: {
		readOnly: 'Your role may view scenarios only (saving needs the civil-affairs role)',
		share: 'Share with other organisations',
		unshare: 'Stop sharing',
		sharedBy: 'Shared by another organisation (read only)',
		title: 'Scenarios (save and compare)',
		name: 'Scenario name',
		namePlaceholder: 'e.g. Lujiazui, 2 new stations',
		save: 'Save as a new scenario',
		saveOver: 'Save (over the open scenario)',
		saveAsNew: 'Save as new',
		empty: 'No saved scenarios for this region yet.',
		stations: '{{count}} planned',
		covered: 'Elders within',
		deficit: 'Deficit',
		open: 'Open',
		duplicate: 'Duplicate',
		delete: 'Delete',
		compare: 'Compare',
		compareRun: 'Compare A and B',
		differ: 'the two use different rule profiles or walking settings',
		summaryCovered: 'elders within the circle {{a}} → {{b}} ({{change}})',
		summaryDeficit: 'deficit {{a}} → {{b}} ({{change}})',
		coveredAB: 'Elders within A → B',
		deficitAB: 'Deficit A → B'
	},
	siting: {
		title: 'Siting (suggested new stations)',
		noNetwork: 'This region has no walking network: siting cannot run.',
		mclp: 'k new stations covering the most elders',
		lscp: 'Fewest stations so that elders within the circle reach',
		target: 'Target share',
		candidates: 'Candidates',
		network: 'every network node',
		network50: 'network nodes, one per 50 m',
		buildings: 'public / commercial buildings of the region ({{count}}; the data has no vacancy)',
		street: 'network points in {{name}}',
		upload: 'Upload a candidate list (XLSX / CSV / GeoJSON / SHP with name, lon/lat, floor area)',
		uploaded: 'list {{file}} ({{count}} sites)',
		uploadIssues: '{{count}} issues in the list (rows skipped or repaired)',
		capacity: 'with floor-area capacity ({{m2}} m² per station, households from the rule)',
		exact: 'exact (HiGHS)',
		run: 'Suggest stations',
		cancel: 'Cancel',
		stage: { candidates: 'candidates…', matrix: 'walking reach…', solve: 'solving…', done: 'done' },
		result: 'Elders within the circle: {{before}} ({{beforeShare}}) → {{after}} ({{afterShare}})',
		methodExact: 'exact ({{solver}}), gap to optimum {{gap}}, {{candidates}} candidates',
		methodGreedy: 'greedy, gap to bound ≤ {{gap}}, {{candidates}} candidates',
		unreachable: 'target out of reach, at most {{share}}',
		equivalent: '{{count}} interchangeable sites',
		accept: 'Accept',
		acceptAll: 'Accept all as planned stations',
		drop: 'Drop suggestions',
		contributions: 'Each station’s contribution',
		station: 'Station (* suggested)',
		reached: 'Elders reached',
		onlyHere: 'Only here',
		ifRemoved: 'If removed'
	},
	evaluation: {
		readOnly: 'Your role may view evaluations only (saving needs the planning role)',
		title: 'Evaluate a residential project',
		name: 'Project name',
		status: 'Project status',
		fromFloorArea: 'households from residential floor area',
		floorArea: 'Residential floor area',
		dwelling: 'Average dwelling size',
		perHousehold: 'm² per household',
		households: 'Households',
		draw: 'Draw the site boundary on the map',
		finish: 'Finish the boundary ({{count}} points)',
		addFacility: 'Place a project facility ({{kind}} {{m2}} m²)',
		clear: 'Clear the project',
		upload: 'or upload the boundary (GeoJSON / zipped SHP)',
		run: 'Evaluate',
		needBoundary: 'Draw or upload the site boundary first (at least 3 points)',
		verdict: enOf(PROJECT_VERDICT),
		approvalConditions: 'Conditions of approval',
		incomplete: 'some checks could not run, see below',
		floor:
			'Required {{required}}, provided {{provided}} ({{households}} households, about {{elders}} elders)',
		nearest: 'Nearest station: {{name}}, {{minutes}} on foot',
		street:
			'{{name}}: elders within the circle {{covered}}, floor-area deficit {{deficit}} (against before the project)',
		print: 'Open the printable report (A4, save as PDF)',
		save: 'Save this evaluation',
		history: 'Saved evaluations',
		noHistory: 'No saved evaluations for this region yet.',
		rerun: 'Re-run with today’s rules and data',
		savedReport: 'Report',
		unchanged: 'Nothing changed since it was saved.',
		saveRerun: 'Save the new results (new version)'
	},
	layer: {
		areas: 'Residential areas',
		facilities: 'Facilities',
		districts: 'Street / district map',
		isochrone: 'Reach',
		labels: 'Labels'
	},
	importPage: {
		indicators: 'Indicator table',
		indicatorsHint:
			'One row per street, district or institution and date (nursing-type beds, institution beds, family care beds, social workers, older people in special difficulty, monthly visit rate, residents 80+, ability assessments, meal points); CSV or XLSX, a blank cell is no figure (not 0).',
		asOf: 'Date of the figures (when the sheet has no 统计日期 column)',
		source: 'Source (when the sheet has no 数据来源 column)',
		mergeRule:
			'Rows of the same level, code and date are replaced; every other row is kept, so one year can be imported at a time.',
		rowsRead: '{{read}} rows read, {{errors}} with errors; {{rows}} rows to import',
		dates: 'dates: {{dates}}',
		change:
			'Indicator table: {{before}} → {{after}} rows; {{replaced}} replaced (same level, code and date), {{added}} added, {{kept}} other rows kept',
		firstRows: 'First {{count}} rows (as they will be stored)',
		level: 'level',
		code: 'code',
		name: 'name',
		parent: 'parent',
		asOfColumn: 'date',
		sourceColumn: 'source',
		values: 'figures',
		street: 'street',
		district: 'district',
		institution: 'institution',
		imported: 'indicator table imported: {{after}} rows now (previous version kept as #{{seq}})'
	}
};
