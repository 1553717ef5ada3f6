import { lintCatalog } from 'faultline';
import { describe, expect, it } from 'vitest';
import { signals } from '../src/catalog.ts';

// The id, title and HTTP status of every entry, exactly as shared/signals-api.md fixes them.
const SPEC: ReadonlyArray<readonly [string, string, number | undefined]> = [
  ['ih1001', 'Internal Server Error', 500],
  ['ih1002', 'Service Temporarily Unavailable', 503],
  ['ih2001', 'Invalid Scope', 400],
  ['ih2002', 'Empty Scopes List', 400],
  ['ih2003', 'Missing Scopes', 400],
  ['ih2004', 'Missing Key ID', 400],
  ['ih2005', 'Missing Key Secret', 400],
  ['ih2006', 'Invalid Credentials', 401],
  ['ih2007', 'Unauthorized Scope', 403],
  ['ih2008', 'Missing Token', 401],
  ['ih2009', 'Token Expired', 401],
  ['ih2010', 'Invalid Token', 401],
  ['ih2011', 'Insufficient Scope', 403],
  ['ih3001', 'Rate Limit Exceeded', 429],
  ['ih3002', 'Concurrent Request Limit', 429],
  ['ih3003', 'Quota Exceeded', 429],
  ['ih3004', 'Daily Quota Exceeded', 429],
  ['ih3005', 'Inactive Subscription', 402],
  ['ih4001', 'Missing Video File', 400],
  ['ih4002', 'Unsupported File Type', 400],
  ['ih4003', 'File Too Large', 413],
  ['ih4004', 'Video Too Long', 400],
  ['ih4005', 'Invalid Parameter', 400],
  ['ih4006', 'Invalid JSON', 400],
  ['ih5001', 'Empty Video', 422],
  ['ih5002', 'Corrupted Video', 422],
  ['ih5003', 'Unsupported Codec', 422],
  ['ih5004', 'Malformed Video Segment', 422],
  ['ih5005', 'Video Segment Too Large', 413],
  ['ih5006', 'Video Segment Too Small', 422],
  ['ih5007', 'Content Rejected by Model', 422],
  ['ih6001', 'Invalid Message Format', undefined],
  ['ih6002', 'Message Too Large', undefined],
  ['ih6003', 'Session Idle Timeout', undefined],
  ['ih6004', 'Session Duration Exceeded', undefined],
  ['ih6005', 'Server Going Away', undefined],
  ['ih6006', 'Shutdown Warning', undefined],
];

describe('signals catalog', () => {
  it('has exactly the 37 entries of the spec, with their titles and statuses', () => {
    expect(signals.entries.map((e) => [e.id, e.title, e.status])).toEqual(SPEC);
  });

  it('is lint-clean', () => {
    expect(lintCatalog(signals.entries)).toEqual([]);
  });

  it('uses the seed slugs, e.g. ih2005-missing-key-secret', () => {
    expect(signals.get('ih2005')?.slug).toBe('ih2005-missing-key-secret');
    expect(signals.get('ih1002')?.slug).toBe('ih1002-service-temporarily-unavailable');
  });

  it('marks what is worth retrying, and gives a delay for it', () => {
    const retryable = signals.entries.filter((e) => e.retryable).map((e) => e.id);
    expect(retryable).toEqual(['ih1001', 'ih1002', 'ih3001', 'ih3002', 'ih3004', 'ih6005']);
    expect(signals.error('ih1002').retryAfterSeconds).toBe(30);
  });

  it('declares the extra body fields of the seed', () => {
    expect(signals.get('ih3004')?.fields).toEqual(['reset_time']);
    expect(signals.get('ih6006')?.fields).toEqual(['seconds_remaining']);
    expect(signals.error('ih3004', { reset_time: '2026-11-23T00:00:00.000Z' }).fields).toEqual({
      reset_time: '2026-11-23T00:00:00.000Z',
    });
  });

  it('gives close codes to the entries that end a WebSocket session', () => {
    expect(signals.get('ih6002')?.closeCode).toBe(1009);
    expect(signals.get('ih6005')?.closeCode).toBe(1001);
    expect(signals.get('ih6001')?.closeCode).toBeUndefined();
  });
});
