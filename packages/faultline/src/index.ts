/**
 * faultline core: define errors once in a typed catalog; render them in any wire format.
 * Server adapters, WebSocket helpers, limits, the client and docs live in subpaths.
 */
export * from './catalog/index.ts';
export * from './error/index.ts';
export * from './formats/index.ts';
export * from './http/index.ts';
