/**
 * report.xlsx as the server writes it (issue 17 item 1): a workbook with an entry over
 * XLSX_FAST_DEFLATE_BYTES is deflated with Node's zlib there — the same bytes on every call, and
 * the same entries as the engine's own (fflate) workbook; a small one is the engine's, byte for byte.
 */
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/lib/engine/analysis/types.ts';
import type { ReportMeta } from '../../src/lib/engine/report/index.ts';
import { XLSX_FAST_DEFLATE_BYTES, reportXlsx } from '../../src/lib/engine/report/xlsx.ts';
import { reportFileBytes } from '../../src/lib/server/region-report.ts';
import { laoshanAnalysis, laoshanMeta } from '../engine/report/fixtures/analysis.ts';

const META: ReportMeta = { generatedAt: '2026-11-22', regionMeta: laoshanMeta };

/** The Laoshan analysis with its areas repeated (own ids and names) to `count`. */
function manyAreas(count: number): Analysis {
	const analysis = laoshanAnalysis();
	const template = analysis.areas;
	analysis.areas = Array.from({ length: count }, (_, i) => ({
		...template[i % template.length],
		id: `c${i}`,
		name: `小区${i}`
	}));
	return analysis;
}

const serverXlsx = async (analysis: Analysis) =>
	Buffer.from((await reportFileBytes('report.xlsx', analysis, META, [])) as Uint8Array);

describe('report.xlsx from reportFileBytes', () => {
	it('is the engine workbook byte for byte when no entry is large', async () => {
		const analysis = laoshanAnalysis();
		expect((await serverXlsx(analysis)).equals(await reportXlsx(analysis, META))).toBe(true);
	});

	it('deflates a large entry with zlib: the same bytes twice, the same entries as fflate', async () => {
		const analysis = manyAreas(6000);
		const engine = unzipSync(await reportXlsx(analysis, META));
		expect(engine['xl/worksheets/sheet2.xml'].length).toBeGreaterThan(XLSX_FAST_DEFLATE_BYTES);
		const first = await serverXlsx(analysis);
		expect(first.equals(await serverXlsx(analysis))).toBe(true);
		const served = unzipSync(first);
		expect(Object.keys(served)).toEqual(Object.keys(engine));
		for (const [path, data] of Object.entries(engine))
			expect(Buffer.from(served[path]).equals(data), path).toBe(true);
	});
});
