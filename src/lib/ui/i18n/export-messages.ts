/**
 * Strings of the workspace's 导出 tab (ExportPanel.svelte, issue 15 item 7), Chinese first; the
 * English table has the Chinese one's type, so a missing translation fails the type check.
 * Mounted in messages.ts as `export`: `t('export.title')`.
 */
export const exportZh = {
	title: '导出缺口报告（当前画面）',
	region: '区域',
	profile: '规则集',
	circle: '服务圈',
	circleValue: '步行 {{minutes}} 分钟 · {{speed}} m/s',
	stepPenalty: '台阶附加 {{seconds}} 秒',
	plan: '方案',
	planValue: '新增 {{planned}} 处，移动 {{moved}} 处，移除 {{removed}} 处',
	baseline: '无（现状）',
	date: '日期',
	files: '下载文件',
	file: {
		report_xlsx: '报告 XLSX',
		report_pdf: '报告 PDF',
		report_html: '打印版 HTML',
		areas_csv: '小区 CSV',
		streets_csv: '街道 CSV',
		districts_csv: '区县 CSV',
		facilities_csv: '设施 CSV',
		areas_geojson: '小区 GeoJSON'
	},
	planFile: '方案文件 plan.json',
	busy: '正在生成 {{file}}…',
	done: '已下载 {{name}}',
	failed: '{{file}} 未能导出：{{message}}',
	cli: '同样设置的命令行，得到逐字节相同的文件：',
	cliPlan: '先下载方案文件 plan.json，放在项目目录中（npm run 在项目目录运行）。',
	copy: '复制',
	copied: '已复制'
};

export const exportEn: typeof exportZh = {
	title: 'Export the gap report (what is on screen)',
	region: 'Region',
	profile: 'Profile',
	circle: 'Circle',
	circleValue: '{{minutes}} min on foot · {{speed}} m/s',
	stepPenalty: 'steps +{{seconds}} s',
	plan: 'Plan',
	planValue: '{{planned}} added, {{moved}} moved, {{removed}} taken out',
	baseline: 'none (the region as it is)',
	date: 'Date',
	files: 'Download',
	file: {
		report_xlsx: 'Report XLSX',
		report_pdf: 'Report PDF',
		report_html: 'Printable HTML',
		areas_csv: 'Areas CSV',
		streets_csv: 'Streets CSV',
		districts_csv: 'Districts CSV',
		facilities_csv: 'Facilities CSV',
		areas_geojson: 'Areas GeoJSON'
	},
	planFile: 'Plan file plan.json',
	busy: 'Making {{file}}…',
	done: 'Downloaded {{name}}',
	failed: '{{file}} could not be exported: {{message}}',
	cli: 'The command line with the same settings writes the same bytes:',
	cliPlan: 'Download the plan file plan.json first, into the project folder (npm run runs there).',
	copy: 'Copy',
	copied: 'Copied'
};
