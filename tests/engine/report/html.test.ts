/**
 * `report.html` (issue 4) as text: self-contained (no script, no external resource; the only
 * URLs are visible attribution text), everything escaped, every skipped check with its reason,
 * every rule cited, the estimates note and the OSM attribution exactly when they apply, and the
 * same text whatever the clock says.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Analysis } from '../../../src/lib/engine/analysis/types.ts';
import { formatAmount } from '../../../src/lib/engine/format.ts';
import {
	HTML_AREA_ROW_LIMIT,
	HTML_LARGEST_GAPS,
	reportHtml,
	streetChartSvg
} from '../../../src/lib/engine/report/html.ts';
import type { ReportMeta } from '../../../src/lib/engine/report/index.ts';
import {
	COMMA_QUOTE_NAME,
	FORMULA_NAME,
	MARKUP_NAME,
	bareLaoshanAnalysis,
	laoshanAnalysis,
	laoshanMeta
} from './fixtures/analysis.ts';

const META: ReportMeta = { generatedAt: '2026-11-22', regionMeta: laoshanMeta };

/** The same escaping as tests/scripts/analyze-cli.test.ts. */
function escapeHtml(text: string): string {
	return text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;');
}

/** The HTML of the element with this id (sections do not nest, so the next `</section>` ends it). */
function sectionOf(html: string, id: string): string {
	const start = html.indexOf(`<section id="${id}">`);
	expect(start, `section #${id}`).toBeGreaterThan(0);
	return html.slice(start, html.indexOf('</section>', start));
}

function expectSelfContained(html: string) {
	expect(html).not.toMatch(/<script/i);
	expect(html).not.toMatch(/<(link|img|iframe|object|embed|base)\b/i);
	expect(html).not.toMatch(/\s(src|href|srcset|action|xmlns)=/i);
	expect(html).not.toMatch(/url\(|@import/i);
	expect(html).not.toMatch(/\son[a-z]+=/i); // no event handlers either
}

describe('reportHtml on a Laoshan analysis with areas, facilities and walking times', () => {
	const analysis = laoshanAnalysis();
	const html = reportHtml(analysis, META);

	it('is one Chinese A4 page without script or external resource', () => {
		expect(html.startsWith('<!doctype html>\n<html lang="zh-CN">')).toBe(true);
		expect(html).toContain('<meta charset="utf-8">');
		expect(html).toContain('@page { size: A4;');
		expectSelfContained(html);
	});

	it('has http only in the visible attribution text', () => {
		const sources = sectionOf(html, 'sources');
		const outside = html.replace(sources, '');
		expect(outside).not.toMatch(/https?:/i);
		expect(sources).toContain('https://www.openstreetmap.org/copyright');
		// …and that URL is text, not inside a tag
		for (const match of html.matchAll(/https?:/gi)) {
			const before = html.slice(0, match.index);
			expect(before.lastIndexOf('<') < before.lastIndexOf('>')).toBe(true);
		}
	});

	it('escapes names: markup shows as text, quotes and formulas are harmless', () => {
		expect(html).toContain(escapeHtml(MARKUP_NAME));
		expect(html).toContain('&lt;b&gt;粗体&lt;/b&gt;小区 &amp; 花园');
		expect(html).not.toContain('<b>粗体');
		expect(html).toContain(escapeHtml(COMMA_QUOTE_NAME));
		expect(html).toContain(escapeHtml(FORMULA_NAME));
	});

	it('heads the page with the region, profile, document, status, date and walking settings', () => {
		const header = html.slice(html.indexOf('<header>'), html.indexOf('</header>'));
		const profile = analysis.profile;
		expect(header).toContain('崂山区');
		expect(header).toContain(`${profile.id} v${profile.version}`);
		expect(header).toContain(`《${profile.document.title}》`);
		expect(header).toContain(profile.document.number!);
		expect(header).toContain('现行有效');
		expect(header).toContain('2026-11-22');
		expect(header).toContain('步行 15 分钟，步速 1 m/s（约 900 m）');
		expect(header).not.toContain('尚未生效'); // in force: no draft banner
	});

	it('shows the headline cards with the elders covered and the deficit', () => {
		const cards = html.slice(html.indexOf('<section class="cards">'));
		const s = analysis.summary;
		expect(s.eldersCovered).toBe(655);
		expect(cards).toContain(`${formatAmount(655)} 人`);
		expect(cards).toContain('占 67.9%'); // 655 of 400 + 310 + 255 = 965 elders with a known figure
		expect(cards).toContain(`${formatAmount(s.deficitM2)} m²`);
		expect(s.deficitM2).toBeCloseTo(246.8 + 123, 2);
		expect(cards).toContain(`${s.streetsFailing} / 5`);
	});

	it('draws one bar per street with its share of elders within the circle', () => {
		const svg = streetChartSvg(analysis.streets, true)!;
		expect(html).toContain(svg);
		expect(svg.match(/<rect /g)).toHaveLength(5);
		expect(svg).toContain('中韩街道');
		expect(svg).toContain('56.3%'); // 400 of 710
		expect(svg).toContain('100%'); // 沙子口: 255 of 255
		expect(svg).toContain('未知'); // streets without areas
	});

	it('charts the deficit in m² when there is no walking network', () => {
		const svg = streetChartSvg(laoshanAnalysis('qingdao-laoshan-2024', false).streets, false)!;
		expect(svg).toContain('配建面积缺口 (m²)');
		expect(svg.match(/<rect /g)).toHaveLength(3); // the three streets with areas
		expect(svg).toContain(`${formatAmount(246.8)} m²`);
	});

	it('lists every skipped check with its Chinese and English reason', () => {
		expect(analysis.skipped.length).toBeGreaterThan(0);
		for (const skipped of analysis.skipped) {
			expect(html).toContain(escapeHtml(skipped.reasonZh));
			expect(html).toContain(escapeHtml(skipped.reasonEn));
		}
	});

	it('cites every rule of the profile with document, clause and quote', () => {
		for (const rule of analysis.profile.rules) {
			expect(html).toContain(`<h3>${escapeHtml(rule.id)} · `);
			expect(html).toContain(escapeHtml(rule.citation.clause));
			expect(html).toContain(`“${escapeHtml(rule.citation.quote)}”`);
		}
		// the area findings name their rule and clause
		expect(html).toContain('依据 community-facility-area：《');
	});

	it('notes the estimates: which figures, how made, not official counts', () => {
		expect(analysis.summary.usesEstimate).toBe(true);
		expect(html).toContain('估算说明');
		expect(html).toContain('不是官方统计数字');
		expect(html).toContain('4 个居住区中有 1 个的户数为估算值');
		expect(html).toContain('崂山区的老年人口 101,881 人为估算值');
		expect(html).toContain(escapeHtml(laoshanMeta.estimates['elders-from-city-share'].method));
		expect(html).toContain('<sup class="est">估</sup>');
	});

	it('is the same text whatever the clock says', () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2031-06-15T17:45:33Z'));
		const later = reportHtml(laoshanAnalysis(), META);
		vi.useRealTimers();
		expect(later).toBe(html);
		expect(reportHtml(analysis, { ...META, generatedAt: '2026-11-23' })).not.toBe(html);
	});

	afterEach(() => {
		vi.useRealTimers();
	});
});

describe('reportHtml on Laoshan as shipped, under the Qingdao city draft', () => {
	const analysis: Analysis = bareLaoshanAnalysis('qingdao-city-2023-draft');
	const html = reportHtml(analysis, META);

	it('says the document is a draft', () => {
		expect(html).toContain('征求意见稿 / 草案（未生效）');
		expect(html).toContain('尚未生效');
	});

	it('lists every skipped check with its reason, escaped as the CLI test expects', () => {
		expect(analysis.skipped.length).toBeGreaterThanOrEqual(4);
		for (const skipped of analysis.skipped) expect(html).toContain(escapeHtml(skipped.reasonZh));
	});

	it('says what is unknown instead of showing zeros', () => {
		expect(html).toContain('未计算'); // elders within the circle
		expect(html).toContain('没有居住区数据');
		expect(html).toContain('本区域没有居住区图层（未知，不等于没有居住区）');
		expect(html).toContain('本区域没有设施图层（未知，不等于没有设施）');
		expect(html).toContain('各街道没有可绘图的数字');
		const figures = html.slice(html.indexOf('<table class="figures">'));
		expect(figures.slice(0, figures.indexOf('</table>'))).toMatch(
			/需配建面积 \(m²\).*?<\/th><td class="unknown">—<\/td>/
		);
		expectSelfContained(html);
	});
});

describe('reportHtml attribution and estimates follow the data', () => {
	it('leaves out the OSM attribution when no source is OpenStreetMap', () => {
		const meta: ReportMeta = {
			...META,
			regionMeta: {
				...laoshanMeta,
				sources: laoshanMeta.sources.filter((source) => !/odbl/i.test(source.licence))
			}
		};
		const html = reportHtml(laoshanAnalysis(), meta);
		expect(html).not.toContain('OpenStreetMap');
		expect(html).not.toMatch(/https?:/);
		expect(reportHtml(laoshanAnalysis(), META)).toContain('© OpenStreetMap contributors');
	});

	it('prints each region note in Chinese with the English after it, an older plain note as it is (issue 15)', () => {
		const meta: ReportMeta = {
			...META,
			regionMeta: {
				...laoshanMeta,
				notes: [
					{ zh: '街道人口未知（null）。', en: 'Street populations are unknown (null).' },
					'An older note <plain>.'
				]
			}
		};
		const sources = sectionOf(reportHtml(laoshanAnalysis(), meta), 'sources');
		expect(sources).toContain(
			'<li>街道人口未知（null）。<br><span class="en">Street populations are unknown (null).</span></li>'
		);
		expect(sources).toContain('<li>An older note &lt;plain&gt;.</li>');
		const shipped = sectionOf(reportHtml(laoshanAnalysis(), META), 'sources');
		for (const note of laoshanMeta.notes)
			expect(shipped).toContain(
				typeof note === 'string'
					? escapeHtml(note)
					: `${escapeHtml(note.zh)}<br><span class="en">${escapeHtml(note.en)}</span>`
			);
	});

	it('has no estimates note when no figure is an estimate', () => {
		const analysis = laoshanAnalysis();
		const exact: Analysis = {
			...analysis,
			areas: analysis.areas.map((area) => ({ ...area, estimatedFields: [] })),
			facilities: analysis.facilities.map((facility) => ({ ...facility, estimatedFields: [] })),
			districts: analysis.districts.map((district) => ({
				...district,
				eldersEstimated: false,
				usesEstimate: false
			})),
			summary: { ...analysis.summary, usesEstimate: false }
		};
		const html = reportHtml(exact, META);
		expect(html).not.toContain('估算说明');
		expect(html).not.toContain('<sup class="est">');
	});
});

describe('findings on the whole region (issue 13: Qingdao city 3. 全市 welfare land)', () => {
	it('prints the city-wide finding in its own section, and none under a district-level profile', () => {
		const city = laoshanAnalysis('qingdao-city-2023-draft');
		expect(city.regionFindings).toHaveLength(1);
		const html = reportHtml(city, META);
		expect(html).toContain('全区域判定');
		// the elder definition behind every per-elder figure, in the header
		expect(html).toContain('<dt>老年人口径 Elders</dt><dd>青岛市户籍 60 周岁及以上老年人');
		expect(html).toContain(escapeHtml(city.regionFindings[0].messageZh));
		// per district the same target is information only
		for (const district of city.districts) {
			const land = district.reasons.find((r) => r.ruleId === 'welfare-land-per-elder');
			if (land) expect(land.severity).toBe('info');
		}
		const laoshan = laoshanAnalysis();
		expect(laoshan.regionFindings).toEqual([]);
		expect(reportHtml(laoshan, META)).not.toContain('全区域判定');
	});
});

describe('a city-size region: the page lists the largest gaps, the workbook all areas (issue 17 item 1)', () => {
	/** The Laoshan analysis with its areas repeated to `count`, each with its own name and deficit. */
	function cityAnalysis(count: number): Analysis {
		const analysis = laoshanAnalysis();
		const template = analysis.areas;
		analysis.areas = Array.from({ length: count }, (_, i) => {
			const area = template[i % template.length];
			// Deficits 0 … 299 m² repeating, every tenth unknown: ties and nulls in the order.
			const deficitM2 = i % 10 === 9 ? null : (i * 37) % 300;
			return { ...area, id: `c${i}`, name: `小区${i}`, deficitM2 };
		});
		return analysis;
	}
	const areaSection = (html: string) =>
		html.slice(html.indexOf('<h2>居住区'), html.indexOf('<h2>设施'));
	const listedNames = (html: string) =>
		[...areaSection(html).matchAll(/<tbody class="group"><tr><td>(小区\d+)<\/td>/g)].map(
			(match) => match[1]
		);

	it('lists every area up to the limit, without a note', () => {
		const html = reportHtml(cityAnalysis(HTML_AREA_ROW_LIMIT), META);
		expect(listedNames(html)).toHaveLength(HTML_AREA_ROW_LIMIT);
		expect(areaSection(html)).not.toContain('report.xlsx');
	});

	it('past the limit lists the largest deficits first and names the files with the full list', () => {
		const count = HTML_AREA_ROW_LIMIT + 1;
		const analysis = cityAnalysis(count);
		const html = reportHtml(analysis, META);
		const expected = analysis.areas
			.filter((area) => (area.deficitM2 ?? 0) > 0)
			.sort((a, b) => b.deficitM2! - a.deficitM2! || Number(a.id.slice(1)) - Number(b.id.slice(1)))
			.slice(0, HTML_LARGEST_GAPS)
			.map((area) => area.name);
		expect(listedNames(html)).toEqual(expected);
		const withGap = analysis.areas.filter((area) => (area.deficitM2 ?? 0) > 0).length;
		const note = areaSection(html).match(/<p class="banner">(.*?)<\/p>/)![1];
		expect(note).toContain(`本区域共 ${formatAmount(count)} 个居住区`);
		expect(note).toContain(`${formatAmount(HTML_AREA_ROW_LIMIT)} 行的上限`);
		expect(note).toContain(`共 ${formatAmount(withGap)} 个存在缺口`);
		expect(note).toContain('report.xlsx 的“居住区”工作表和 areas.csv');
		// Chinese first, then English.
		expect(note.indexOf('本区域')).toBeLessThan(note.indexOf('<span class="en">This region has'));
		expect(note).toContain(
			`the full list of all ${formatAmount(count)} is in report.xlsx (sheet 居住区) and areas.csv`
		);
	});

	it('says so when no area has a deficit', () => {
		const analysis = cityAnalysis(HTML_AREA_ROW_LIMIT + 1);
		analysis.areas = analysis.areas.map((area) => ({ ...area, deficitM2: 0 }));
		const html = reportHtml(analysis, META);
		expect(listedNames(html)).toEqual([]);
		expect(areaSection(html)).toContain(
			'没有存在面积缺口的居住区。 No area has a floor-area deficit.'
		);
	});
});
