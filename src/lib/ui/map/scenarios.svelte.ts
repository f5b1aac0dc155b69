/**
 * Saved scenarios in the map workspace (issue 6): the list for the open region, save (new or over
 * the open one, with its version so a stale save is refused), open, duplicate, delete, and the
 * street-by-street comparison of two — all through /api/scenarios, whose server recomputes every
 * result with the engine. Only the shapes the panel shows are typed here.
 */
import type { PlannedStation, WalkSettings } from '$lib/engine/session/what-if.ts';
import { requestJson } from '$lib/ui/api.ts';
import type { Workspace } from './workspace.svelte.ts';

/** Who owns a saved record (issue 14): its organisation, whether shared, whether it is the asker's. */
export interface RecordOwner {
	organization: string;
	shared: boolean;
	mine: boolean;
}

export interface ScenarioListItem {
	/** null = saved before accounts (open to all). */
	owner?: RecordOwner | null;
	id: string;
	name: string;
	profileId: string;
	updatedAt: string;
	version: number;
	plannedCount: number;
	movedCount: number;
	removedCount: number;
	eldersCovered: number | null;
	eldersCoveredShare: number | null;
	deficitM2: number;
	streetsFailing: number;
}

interface SavedScenario {
	id: string;
	name: string;
	regionId: string;
	profileId: string;
	settings: WalkSettings;
	planned: PlannedStation[];
	moved: Record<string, [number, number]>;
	removed: string[];
	notes: string;
	version: number;
}

interface SideFigures {
	eldersCovered: number | null;
	deficitM2: number;
	verdict: 'pass' | 'fail' | 'no_data';
}
export interface ScenarioComparison {
	a: { id: string; name: string };
	b: { id: string; name: string };
	profileDiffers: boolean;
	settingsDiffer: boolean;
	summary: {
		eldersCovered: { a: number | null; b: number | null; change: number | null };
		deficitM2: { a: number; b: number; change: number };
		streetsFailing: { a: number; b: number; change: number };
	};
	streets: {
		code: string | null;
		name: string;
		a: SideFigures | null;
		b: SideFigures | null;
		eldersCoveredChange: number | null;
		deficitM2Change: number | null;
		verdictChanged: boolean;
	}[];
}

export class ScenarioStore {
	list = $state.raw<ScenarioListItem[]>([]);
	/** The scenario the map shows, if it was opened or saved (name and version for the next save). */
	current = $state<{ id: string; name: string; version: number } | null>(null);
	comparison = $state.raw<ScenarioComparison | null>(null);
	error = $state<string | null>(null);
	private readonly workspace: Workspace;

	constructor(workspace: Workspace) {
		this.workspace = workspace;
	}

	private async guard(work: () => Promise<void>): Promise<void> {
		try {
			this.error = null;
			await work();
		} catch (error) {
			this.error = (error as Error).message;
		}
	}

	refresh(): Promise<void> {
		return this.guard(async () => {
			const region = encodeURIComponent(this.workspace.regionId);
			this.list = await requestJson<ScenarioListItem[]>(`/api/scenarios?region=${region}`);
			if (this.current && !this.list.some((item) => item.id === this.current?.id))
				this.current = null;
		});
	}

	/** Let other organisations see this scenario (read only), or stop. */
	share(item: ScenarioListItem, shared: boolean): Promise<void> {
		return this.guard(async () => {
			await requestJson(`/api/scenarios/${item.id}/sharing`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ shared })
			});
			await this.refresh();
		});
	}

	private plan(name: string) {
		return {
			name,
			regionId: this.workspace.regionId,
			profileId: this.workspace.profileId,
			settings: $state.snapshot(this.workspace.settings),
			planned: this.workspace.planned,
			moved: this.workspace.moved,
			removed: this.workspace.removed
		};
	}

	/** Save the map's plan: over the open scenario (same name) or as a new one. */
	save(name: string, asNew = false): Promise<void> {
		return this.guard(async () => {
			const current = this.current;
			const saved =
				current && !asNew && current.name === name
					? await requestJson<SavedScenario>(`/api/scenarios/${current.id}`, {
							method: 'PUT',
							body: JSON.stringify({ ...this.plan(name), version: current.version })
						})
					: await requestJson<SavedScenario>('/api/scenarios', {
							method: 'POST',
							body: JSON.stringify(this.plan(name))
						});
			this.current = { id: saved.id, name: saved.name, version: saved.version };
			await this.refresh();
		});
	}

	open(id: string): Promise<void> {
		return this.guard(async () => {
			const scenario = await requestJson<SavedScenario>(`/api/scenarios/${id}`);
			await this.workspace.applyPlan(scenario);
			this.current = { id: scenario.id, name: scenario.name, version: scenario.version };
		});
	}

	duplicate(id: string): Promise<void> {
		return this.guard(async () => {
			await requestJson(`/api/scenarios/${id}/duplicate`, { method: 'POST', body: '{}' });
			await this.refresh();
		});
	}

	remove(item: ScenarioListItem): Promise<void> {
		return this.guard(async () => {
			await requestJson(`/api/scenarios/${item.id}?version=${item.version}`, { method: 'DELETE' });
			if (this.current?.id === item.id) this.current = null;
			if (this.comparison && [this.comparison.a.id, this.comparison.b.id].includes(item.id))
				this.comparison = null;
			await this.refresh();
		});
	}

	compare(a: string, b: string): Promise<void> {
		return this.guard(async () => {
			this.comparison = await requestJson<ScenarioComparison>(
				`/api/scenarios/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`
			);
		});
	}
}
