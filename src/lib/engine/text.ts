/**
 * TextDecoder exists in every runtime the engine targets (browsers, workers, Node) but not in
 * lib ES2022, which the engine type-checks against so that no DOM or Node typing leaks in.
 * Typed here once; import it instead of declaring it per file.
 */
export interface TextDecoderLike {
	decode(input: Uint8Array): string;
}

export const TextDecoder = (
	globalThis as unknown as {
		TextDecoder: new (label?: string, options?: { fatal?: boolean }) => TextDecoderLike;
	}
).TextDecoder;
