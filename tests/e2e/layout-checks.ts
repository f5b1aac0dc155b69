/**
 * Checks run inside the page (page.evaluate) by the workspace e2e suite (issue 15). Each is a
 * plain function with no closure over this module, so Playwright can send its source.
 */

/**
 * Layout defects a reader would see, as sentences: text outside its element's box, a label meant
 * for one line wrapped (Chinese broken mid-word), a select whose chosen text is cut without the
 * full text as its tooltip, a panel scrolling sideways.
 */
export function LAYOUT_PROBLEMS(): string[] {
	const problems: string[] = [];
	const describe = (el: Element) => {
		const id = el.getAttribute('data-testid');
		const text = (el.textContent ?? '').trim().slice(0, 30);
		return `<${el.tagName.toLowerCase()}${id ? ` data-testid=${id}` : ''}${el.className && typeof el.className === 'string' ? ` class="${el.className.split(' ')[0]}"` : ''}> "${text}"`;
	};
	const shown = (el: Element) => {
		const rect = el.getBoundingClientRect();
		const style = getComputedStyle(el);
		return rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden';
	};
	const roots = [
		document.querySelector('aside.panel'),
		document.querySelector('[data-testid=legend]'),
		document.querySelector('[data-testid=selection-card]')
	].filter((el): el is Element => el !== null);
	for (const root of roots) {
		if (root.scrollWidth > root.clientWidth + 1)
			problems.push(
				`${describe(root)} scrolls sideways by ${root.scrollWidth - root.clientWidth} px`
			);
		for (const el of [root, ...root.querySelectorAll('*')]) {
			if (!shown(el) || el.closest('svg')) continue;
			const style = getComputedStyle(el);
			// Inside a box that scrolls on purpose (a wide table): its own scrollbar shows the rest.
			const scroller = el.parentElement?.closest('.scroll-x');
			if (scroller) continue;
			// An inline element's text is measured against the block that lays it out.
			let block: Element = el;
			while (getComputedStyle(block).display.startsWith('inline') && block.parentElement)
				block = block.parentElement;
			const box = block.getBoundingClientRect();
			if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) {
				if (!el.closest('[title]'))
					problems.push(`${describe(el)} is cut with … and has no title with the full text`);
				continue;
			}
			for (const node of el.childNodes) {
				if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) continue;
				const range = document.createRange();
				range.selectNodeContents(node);
				const text = range.getBoundingClientRect();
				if (text.right > box.right + 1.5 || text.left < box.left - 1.5)
					problems.push(
						`${describe(el)}: text overflows its box by ${Math.round(Math.max(text.right - box.right, box.left - text.left))} px`
					);
			}
		}
		// Labels meant for one line: buttons, tabs, table headers, headings, legend entries.
		for (const el of root.querySelectorAll('button, th, h1, h2, [role=tab], li, .key, dt')) {
			if (!shown(el) || el.closest('.wrap-ok')) continue;
			if (getComputedStyle(el).whiteSpace !== 'nowrap' && el.tagName === 'LI') continue;
			const range = document.createRange();
			range.selectNodeContents(el);
			const tops = new Set(
				[...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
			);
			const lines = [...tops].sort((a, b) => a - b);
			// Rectangles within half a line of each other are the same line (mixed font sizes).
			const fontSize = parseFloat(getComputedStyle(el).fontSize);
			const distinct = lines.filter((top, i) => i === 0 || top - lines[i - 1] > fontSize * 0.8);
			if (distinct.length > 1) problems.push(`${describe(el)} wraps onto ${distinct.length} lines`);
		}
	}
	const canvas = document.createElement('canvas').getContext('2d')!;
	for (const select of document.querySelectorAll('select')) {
		if (!shown(select)) continue;
		const chosen = select.selectedOptions[0];
		if (!chosen) continue;
		canvas.font = getComputedStyle(select).font;
		const needed = canvas.measureText(chosen.text).width + 28; // padding and the arrow
		if (needed > select.clientWidth && !(select.title ?? '').includes(chosen.text))
			problems.push(`select ${describe(select)} cuts "${chosen.text}" and has no title with it`);
	}
	return problems;
}

/**
 * Shares of the map's pixels inside the frame of the region's compounds that have the basemap's
 * water (#a9cbe6) and road (#ffffff, casing #d8c9a8) colours; whether every compound lies inside
 * the map. Reads the screenshot (base64 PNG) with the browser's own decoder.
 */
export async function BASEMAP_PIXELS(base64: string) {
	type Map = {
		project(p: [number, number]): { x: number; y: number };
		getContainer(): HTMLElement;
	};
	const cc = (
		window as never as {
			carecircle: {
				map(): Map;
				workspace: {
					region: {
						residential: { geometry: { type: string; coordinates: unknown } }[] | null;
					};
				};
			};
		}
	).carecircle;
	const map = cc.map();
	const points: [number, number][] = [];
	for (const f of cc.workspace.region.residential ?? []) {
		const g = f.geometry;
		if (g.type === 'Point') points.push(g.coordinates as [number, number]);
		else if (g.type === 'Polygon') points.push(...(g.coordinates as [number, number][][])[0]);
		else if (g.type === 'MultiPolygon')
			for (const polygon of g.coordinates as [number, number][][][]) points.push(...polygon[0]);
	}
	const projected = points.map((p) => map.project(p));
	const container = map.getContainer().getBoundingClientRect();
	const xs = projected.map((p) => p.x);
	const ys = projected.map((p) => p.y);
	const frame = {
		left: Math.max(0, Math.min(...xs)),
		top: Math.max(0, Math.min(...ys)),
		right: Math.min(container.width, Math.max(...xs)),
		bottom: Math.min(container.height, Math.max(...ys))
	};
	const compoundsInFrame =
		Math.min(...xs) >= -1 &&
		Math.min(...ys) >= -1 &&
		Math.max(...xs) <= container.width + 1 &&
		Math.max(...ys) <= container.height + 1;
	const image = await createImageBitmap(
		await (await fetch(`data:image/png;base64,${base64}`)).blob()
	);
	const canvas = new OffscreenCanvas(image.width, image.height);
	const context = canvas.getContext('2d')!;
	context.drawImage(image, 0, 0);
	const scale = image.width / container.width;
	// Leave out what lies over the map: the legend, the selection card, the controls.
	const covers = [
		...document.querySelectorAll('[data-testid=legend], [data-testid=selection-card]')
	]
		.map((el) => el.getBoundingClientRect())
		.map((r) => ({
			left: r.left - container.left,
			right: r.right - container.left,
			top: r.top - container.top,
			bottom: r.bottom - container.top
		}));
	const { data } = context.getImageData(0, 0, image.width, image.height);
	let total = 0;
	let water = 0;
	let road = 0;
	const near = (i: number, [r, g, b]: number[]) =>
		Math.abs(data[i] - r) <= 8 && Math.abs(data[i + 1] - g) <= 8 && Math.abs(data[i + 2] - b) <= 8;
	for (let y = Math.ceil(frame.top); y < frame.bottom; y += 2)
		for (let x = Math.ceil(frame.left); x < frame.right; x += 2) {
			if (covers.some((c) => x >= c.left && x <= c.right && y >= c.top && y <= c.bottom)) continue;
			const i = (Math.floor(y * scale) * image.width + Math.floor(x * scale)) * 4;
			total++;
			if (near(i, [0xa9, 0xcb, 0xe6])) water++;
			else if (near(i, [0xff, 0xff, 0xff]) || near(i, [0xd8, 0xc9, 0xa8])) road++;
		}
	return {
		frame: { width: frame.right - frame.left, height: frame.bottom - frame.top },
		compoundsInFrame,
		water: total ? water / total : 0,
		road: total ? road / total : 0
	};
}
