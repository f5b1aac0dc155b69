/**
 * The one typed message map between the app and the engine's Web Worker (issue 5), after
 * maplibre's actor messages: every call has params and a result type here, the UI sees promises
 * (engine-client.ts), the worker dispatches by name (engine-host.ts). Errors cross the boundary
 * as `{ ok: false, code, message }`; typed-array results are transferred, not copied.
 */
import type { SitingOutcome, SitingRequest } from '../engine/siting/run.ts';
import type { ProjectEvaluation, ProjectInput } from '../engine/evaluation/types.ts';
import type {
	Isochrone,
	PlannedStation,
	SessionRegion,
	SessionResult,
	SitingService,
	StationEdits,
	WalkSettings
} from '../engine/session/what-if.ts';

export interface EngineCalls {
	/** Load a region: its graph buffer (transferred; null = no network), layers and profile JSON. */
	open: {
		params: { graph: ArrayBuffer | null; region: SessionRegion; profile: unknown };
		result: { nodes: number; directedEdges: number; profileId: string };
	};
	/** Switch the rule profile (validated in the worker: errors name the rule and field). */
	setProfile: { params: { profile: unknown }; result: { profileId: string } };
	/** Coverage and gap analysis with the planned stations, and the change against the baseline. */
	run: {
		params: { settings: WalkSettings; planned: PlannedStation[]; edits?: StationEdits };
		result: SessionResult;
	};
	/**
	 * Suggested new stations (MCLP / LSCP, optionally with capacity), existing and planned stations
	 * fixed. Long work: reports progress; cancelling a running call means restarting the worker.
	 */
	site: {
		params: {
			request: SitingRequest;
			settings: WalkSettings;
			planned: PlannedStation[];
			edits?: StationEdits;
			/** care (default): care stations; meal: meal providers for the meal circle (issue 16). */
			service?: SitingService;
		};
		result: SitingOutcome & { solver: string | null };
	};
	/** A residential project checked against the profile, with the plan's stations (issue 7). */
	evaluate: {
		params: {
			project: ProjectInput;
			settings: WalkSettings;
			planned: PlannedStation[];
			edits?: StationEdits;
			/** The date printed on the report, YYYY-MM-DD. */
			generatedAt: string;
		};
		result: { evaluation: ProjectEvaluation; html: string };
	};
	/** One facility's isochrone (reached streets and band polygon) at the given settings. */
	isochrone: {
		params: { facilityId: string; settings: WalkSettings };
		result: Isochrone | null;
	};
}

export type CallName = keyof EngineCalls;

export interface CallMessage<K extends CallName = CallName> {
	id: number;
	call: K;
	params: EngineCalls[K]['params'];
}

/** Drop a call that has not started yet (a newer drag position supersedes it). */
export interface CancelMessage {
	id: number;
	cancel: true;
}

export type ToEngine = CallMessage | CancelMessage;

export type FromEngine =
	| { id: number; ok: true; result: unknown; engineMs: number }
	| { id: number; ok: false; code: string; message: string }
	| { id: number; progress: { done: number; total: number; label: string } };

/** Error codes the worker replies with (plus any `code` an engine error carries). */
export const ENGINE_ERROR_CODES = [
	'CANCELLED',
	'NOT_OPEN',
	'UNKNOWN_CALL',
	'ENGINE_ERROR'
] as const;
