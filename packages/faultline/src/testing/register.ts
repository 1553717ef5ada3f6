/**
 * `node --import faultline/testing/register server.js`: records the errors this process sends
 * to `$FAULTLINE_COVERAGE` (nothing when it is unset). For servers a black-box test starts in
 * their own process; in-process tests call `installCoverage()` from a setup file instead.
 * @example FAULTLINE_COVERAGE=/tmp/ids.jsonl node --import faultline/testing/register server.js
 */
import { installCoverage } from './record.ts';

installCoverage();
