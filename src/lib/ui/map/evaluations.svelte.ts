/**
 * Saved project evaluations (issue 7): save the project on the map (the server evaluates it
 * again itself), list the region's history, reopen one into the form, re-run it with today's
 * rules and data (what changed, optionally saved as a new version), and open its printed report.
 */
import type { RecordOwner } from './scenarios.svelte.ts';
import type { ProjectFacilityInput } from '$lib/engine/evaluation/types.ts';
import { requestJson } from '$lib/ui/api.ts';
import type { Workspace } from './workspace.svelte.ts';

export interface EvaluationListItem {
	/** Owning organisation (issue 14); null = saved before accounts. */
	owner?: RecordOwner | null;
	id: string;
	name: string;
	profileId: string;
	computedAt: string;
	version: number;
	verdict: 'compliant' | 'conditional' | 'non_compliant';
	households: number;
	requiredM2: number | null;
	providedM2: number | null;
	nearestMinutes: number | null;
}

interface SavedEvaluation {
	id: string;
	name: string;
	version: number;
	inputs: {
		boundary: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
		status: 'new' | 'existing';
		households?: number | null;
		residentialFloorAreaM2?: number | null;
		dwellingM2?: number | null;
		facilities?: ProjectFacilityInput[];
	};
}

export interface RerunOutcome {
	id: string;
	changes: { field: string; zh: string; en: string }[];
	stored: boolean;
}

export class EvaluationHistory {
	list = $state.raw<EvaluationListItem[]>([]);
	rerun = $state.raw<RerunOutcome | null>(null);
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

	/** Let other organisations see this evaluation (read only), or stop. */
	share(item: EvaluationListItem, shared: boolean): Promise<void> {
		return this.guard(async () => {
			await requestJson(`/api/evaluations/${item.id}/sharing`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ shared })
			});
			await this.refresh();
		});
	}

	refresh(): Promise<void> {
		return this.guard(async () => {
			this.list = await requestJson<EvaluationListItem[]>(
				`/api/evaluations?region=${encodeURIComponent(this.workspace.regionId)}`
			);
		});
	}

	save(): Promise<void> {
		return this.guard(async () => {
			const project = this.workspace.projectInput();
			const { name, ...inputs } = project;
			await requestJson('/api/evaluations', {
				method: 'POST',
				body: JSON.stringify({
					name,
					regionId: this.workspace.regionId,
					profileId: this.workspace.profileId,
					inputs: { ...inputs, settings: $state.snapshot(this.workspace.settings) }
				})
			});
			await this.refresh();
		});
	}

	open(id: string): Promise<void> {
		return this.guard(async () => {
			const saved = await requestJson<SavedEvaluation>(`/api/evaluations/${id}`);
			const boundary = saved.inputs.boundary;
			const ring = (
				boundary.type === 'Polygon'
					? (boundary.coordinates as [number, number][][])[0]
					: (boundary.coordinates as [number, number][][][])[0][0]
			) as [number, number][];
			this.workspace.setBoundary(ring);
			this.workspace.project.name = saved.name;
			this.workspace.project.status = saved.inputs.status;
			this.workspace.project.households = saved.inputs.households ?? null;
			this.workspace.project.residentialFloorAreaM2 = saved.inputs.residentialFloorAreaM2 ?? null;
			this.workspace.project.dwellingM2 = saved.inputs.dwellingM2 ?? 90;
			this.workspace.project.facilities = saved.inputs.facilities ?? [];
			await this.workspace.evaluateProject();
		});
	}

	runAgain(item: EvaluationListItem, save = false): Promise<void> {
		return this.guard(async () => {
			const result = await requestJson<{ changes: RerunOutcome['changes']; stored: boolean }>(
				`/api/evaluations/${item.id}/rerun`,
				{ method: 'POST', body: JSON.stringify(save ? { save: true, version: item.version } : {}) }
			);
			this.rerun = { id: item.id, changes: result.changes, stored: result.stored };
			if (result.stored) await this.refresh();
		});
	}

	remove(item: EvaluationListItem): Promise<void> {
		return this.guard(async () => {
			await requestJson(`/api/evaluations/${item.id}?version=${item.version}`, {
				method: 'DELETE'
			});
			if (this.rerun?.id === item.id) this.rerun = null;
			await this.refresh();
		});
	}
}
