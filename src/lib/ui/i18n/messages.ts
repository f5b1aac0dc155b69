/**
 * Every string of the map workspace, in Chinese (default) and English. The English table has the
 * type of the Chinese one, so a missing translation fails the type check; tests/ui/messages.test.ts
 * checks that every key the components use exists.
 */
export const zhCN = {
	app: { title: '15分钟养老服务圈 · 地图工作台', regions: '区域列表' },
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
		deficit: '社区养老设施面积缺口',
		areasDeficit: '{{count}} / {{total}} 个小区不达标',
		streetsFailing: '不达标街道',
		districtsFailing: '不达标区县 {{count}} / {{total}}',
		estimates: '* 户数、老年人数为估算值（非官方统计），方法见区域说明。'
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
		existingHint: '现有设施也可拖动：移动和移除只属于当前方案，不改动区域数据。'
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
	facilityStatus: { existing: '已建', planned: '规划' },
	detail: {
		estimate: '估算',
		required: '应配建',
		provided: '已配建',
		minutes: '到最近站点步行',
		catchment: '服务圈覆盖 {{areas}} 个小区、{{elders}} 名老年人，其中仅由本站覆盖 {{only}} 人',
		rule: '依据'
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
	verdict: { pass: '达标', fail: '不达标', no_data: '无法判定' },
	areaVerdict: { compliant: '达标', deficit: '面积不足', no_data: '数据不足' },
	legend: {
		title: '图例与图层',
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
		landLegend: '红 → 绿：人均用地 ÷ 规则下限（1 = 达标）；灰 = 无数据或规则未规定'
	},
	scenarios: {
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
		verdict: { compliant: '符合', conditional: '有条件符合（须整改）', non_compliant: '不符合' },
		incomplete: '部分检查无法进行，见下文',
		floor: '应配建 {{required}}，已配建 {{provided}}（{{households}} 户，老年人约 {{elders}} 人）',
		nearest: '最近站点：{{name}}，步行 {{minutes}}',
		street: '{{name}}：圈内老年人 {{covered}}，面积缺口 {{deficit}}（与项目前比较）',
		print: '打开打印版报告（A4，可另存为 PDF）'
	},
	layer: {
		areas: '居住小区',
		facilities: '设施',
		districts: '街道/区县专题图',
		isochrone: '可达范围',
		labels: '标注'
	}
};

export type Messages = typeof zhCN;

export const en: Messages = {
	app: { title: '15-minute elderly-care circles · map workspace', regions: 'Regions' },
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
		deficit: 'Care floor-area deficit',
		areasDeficit: '{{count}} of {{total}} areas short',
		streetsFailing: 'Streets failing',
		districtsFailing: 'Districts failing {{count}} / {{total}}',
		estimates:
			'* Households and elders are estimates (not official counts); see the region notes for the method.'
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
			'Existing facilities can be dragged too: moves and removals belong to this plan, not to the region’s data.'
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
	facilityStatus: { existing: 'existing', planned: 'planned' },
	detail: {
		estimate: 'estimate',
		required: 'Required',
		provided: 'provided',
		minutes: 'walk to nearest',
		catchment:
			'Reaches {{areas}} areas and {{elders}} elders within the circle; {{only}} of them only through this station',
		rule: 'Rule'
	},
	street: {
		title: 'Streets',
		name: 'Street',
		elders: 'Elders',
		covered: 'Within circle (share)',
		change: 'Change',
		deficit: 'Deficit',
		verdict: 'Verdict'
	},
	verdict: { pass: 'pass', fail: 'fail', no_data: 'no data' },
	areaVerdict: { compliant: 'compliant', deficit: 'floor area short', no_data: 'no data' },
	legend: {
		title: 'Legend and layers',
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
			'red → green: land per elder ÷ the rule’s minimum (1 = met); grey = no data or no rule'
	},
	scenarios: {
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
		verdict: {
			compliant: 'Compliant',
			conditional: 'Conditionally compliant (changes needed)',
			non_compliant: 'Non-compliant'
		},
		incomplete: 'some checks could not run, see below',
		floor:
			'Required {{required}}, provided {{provided}} ({{households}} households, about {{elders}} elders)',
		nearest: 'Nearest station: {{name}}, {{minutes}} on foot',
		street:
			'{{name}}: elders within the circle {{covered}}, floor-area deficit {{deficit}} (against before the project)',
		print: 'Open the printable report (A4, save as PDF)'
	},
	layer: {
		areas: 'Residential areas',
		facilities: 'Facilities',
		districts: 'Street / district map',
		isochrone: 'Reach',
		labels: 'Labels'
	}
};
