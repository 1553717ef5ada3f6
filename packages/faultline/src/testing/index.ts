/**
 * faultline/testing: prove every catalog entry is reached by some test. A test setup installs a
 * recorder; the server adapters report each error they send to it; `faultline coverage` then
 * lists the entries no test produced. Production code never loads this subpath.
 * @example
 * import { installCoverage } from 'faultline/testing';
 * installCoverage('.faultline-coverage'); // in a vitest setup file
 */
export { type ProducedHook, setProducedHook } from './hook.ts';
export { fileRecorder, installCoverage, readProduced } from './record.ts';
