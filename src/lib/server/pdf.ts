/**
 * HTML → A4 PDF with headless Chromium (playwright-core), for the CLIs (`npm run evaluate`,
 * `npm run analyze`) and the server's report downloads. Offline: every request the page makes is
 * aborted. Reproducible: Chromium's PDF differs between runs only in /CreationDate and /ModDate
 * (measured on Chromium 14x: same length, `D:20261203153513+00'00'`), so both are pinned to the
 * report's date, in place and at the same byte length (the xref table holds byte offsets); with
 * TZ=UTC for the browser the stamp always has that length. Same HTML, footer and date → same bytes.
 */
import { existsSync } from 'node:fs';
import { escapeHtml } from '../engine/report/html.ts';

/** Chromium flags for printing: no sandbox (root in CI), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update'
];

/** The Chromium binary: CHROMIUM_PATH, or /usr/bin/chromium. */
export function chromiumPath(): string {
	return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/** PDF printing cannot run here: no Chromium (or no playwright-core). `code` is stable. */
export class PdfUnavailableError extends Error {
	readonly code = 'PDF_UNAVAILABLE';
	constructor(message: string) {
		super(message);
		this.name = 'PdfUnavailableError';
	}
}

export interface PrintOptions {
	/** YYYY-MM-DD: written as the PDF's creation and modification date (00:00 UTC). */
	date: string;
}

/**
 * Set /CreationDate and /ModDate to `date` 00:00 UTC, each in place (a stamp of another length is
 * left alone rather than shifting every byte offset after it).
 * @param pdf the bytes Chromium printed (changed in place and returned)
 * @param date YYYY-MM-DD
 */
export function pinPdfDates(pdf: Uint8Array, date: string): Uint8Array {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	if (!match) throw new RangeError(`date ${JSON.stringify(date)}: expected YYYY-MM-DD`);
	const stamp = `D:${match[1]}${match[2]}${match[3]}000000+00'00'`;
	// latin1 maps each byte to one char, so string offsets are byte offsets.
	const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
	for (const found of text.matchAll(/\/(?:CreationDate|ModDate)\s*\((D:[^)]*)\)/g)) {
		const value = found[1];
		if (value.length !== stamp.length) continue;
		const at = found.index + found[0].length - 1 - value.length;
		for (let i = 0; i < stamp.length; i++) pdf[at + i] = stamp.charCodeAt(i);
	}
	return pdf;
}

/**
 * Print an HTML page to an A4 PDF with headless Chromium, offline.
 * @param html a whole document (the reports' own A4 stylesheet decides the page)
 * @param footer text of every page's footer, followed by 第 n / m 页
 * @param options `date`: the PDF's dates (see pinPdfDates)
 * @throws PdfUnavailableError when Chromium or playwright-core is missing (how to fix it)
 * @example writeFileSync('report.pdf', await printPdf(html, '外滩 · donge-2023 v1 · 2026-11-22', { date: '2026-11-22' }));
 */
export async function printPdf(
	html: string,
	footer: string,
	options: PrintOptions
): Promise<Uint8Array> {
	const executablePath = chromiumPath();
	if (!existsSync(executablePath))
		throw new PdfUnavailableError(
			`Chromium not found at ${executablePath}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH`
		);
	let chromium: typeof import('playwright-core').chromium;
	try {
		// Not bundled into the server build: resolved from node_modules when a PDF is asked for.
		const name = 'playwright-core';
		({ chromium } = (await import(/* @vite-ignore */ name)) as typeof import('playwright-core'));
	} catch {
		throw new PdfUnavailableError(
			'PDF printing needs the playwright-core package: npm install (with dev dependencies)'
		);
	}
	const browser = await chromium.launch({
		executablePath,
		args: CHROMIUM_ARGS,
		env: { ...process.env, TZ: 'UTC' }
	});
	try {
		const page = await browser.newPage();
		await page.route('**/*', (route) => route.abort());
		await page.setContent(html, { waitUntil: 'load' });
		const pdf = await page.pdf({
			format: 'A4',
			printBackground: true,
			preferCSSPageSize: true,
			displayHeaderFooter: true,
			headerTemplate: '<span></span>',
			footerTemplate: `<div style="width:100%;font-size:7pt;color:#666;text-align:center;font-family:'Noto Sans CJK SC',sans-serif">${escapeHtml(footer)} · 第 <span class="pageNumber"></span> / <span class="totalPages"></span> 页</div>`
		});
		return pinPdfDates(new Uint8Array(pdf), options.date);
	} finally {
		await browser.close();
	}
}
