/**
 * faultline/testing: helpers for proving every catalog entry is reached by some test.
 */
export { coverageFile, readProduced, recordProduced } from './coverage.ts';
