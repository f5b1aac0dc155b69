/** Rule profiles (cited planning rules per jurisdiction) and the checks that apply them. */
export * from './profile-schema.ts';
export * from './profiles.ts';
export * from './area-check.ts';
