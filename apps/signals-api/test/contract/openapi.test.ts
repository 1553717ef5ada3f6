import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signals } from '../../src/catalog.ts';
import {
  LEGACY_UNTIL,
  NODE,
  REPO_ROOT,
  recordResponse,
  startServer,
  type TestServer,
  type TransitionMode,
} from '../support/server.ts';

const REDOCLY = join(REPO_ROOT, 'node_modules/@redocly/cli/bin/cli.js');

/**
 * The warnings redocly.yaml justifies, by rule and location; any other warning fails.
 * Keep this list and the comments in redocly.yaml in step.
 */
const JUSTIFIED: ReadonlyArray<readonly [rule: string, pointer: RegExp]> = [
  ['operation-2xx-response', /^#\/paths\/~1v0~1stream~1analyze\/get\/responses$/],
  ['no-unused-components', /^#\/components\/schemas\/Ih600[1-6]\w+$/],
  ['no-unused-components', /^#\/components\/responses\/Error40[45]$/],
];

interface LintProblem {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly location: ReadonlyArray<{ readonly pointer: string }>;
}

/** Runs Redocly CLI on a document with the repository's redocly.yaml; resolves to its problems. */
function lint(document: string): Promise<LintProblem[]> {
  const dir = mkdtempSync(join(tmpdir(), 'signals-openapi-'));
  const file = join(dir, 'openapi.json');
  writeFileSync(file, document);
  return new Promise((resolve, reject) => {
    execFile(
      NODE,
      [REDOCLY, 'lint', file, '--config', join(REPO_ROOT, 'redocly.yaml'), '--format=json'],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: dir,
          REDOCLY_TELEMETRY: 'off',
          REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        },
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        try {
          resolve((JSON.parse(stdout) as { problems: LintProblem[] }).problems);
        } catch {
          reject(new Error(`redocly lint gave no JSON (${error?.message}): ${stderr.slice(0, 2000)}`));
        }
      },
    );
  });
}

describe.each(['legacy', 'structured'] as const)(
  'the live /openapi.json (%s errors)',
  (mode: TransitionMode) => {
    let server: TestServer;
    let text: string;
    // biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document, walked by the assertions
    let doc: any;

    beforeAll(async () => {
      server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL[mode] });
      text = await (await fetch(`${server.url}/openapi.json`)).text();
      doc = JSON.parse(text);
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('passes Redocly CLI lint with 0 errors and only the warnings redocly.yaml justifies', async () => {
      const problems = await lint(text);
      const errors = problems.filter((p) => p.severity === 'error');
      expect(errors.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
      const unjustified = problems.filter(
        (p) =>
          !JUSTIFIED.some(
            ([rule, pointer]) => p.ruleId === rule && pointer.test(p.location[0]?.pointer ?? ''),
          ),
      );
      expect(unjustified.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
    }, 60_000);

    it('describes the bodies sent now: legacy fields (deprecated) only before the sunset', () => {
      const schemas = doc['components']['schemas'];
      if (mode === 'legacy') {
        expect(schemas['TransitionError']['properties']['detail']['deprecated']).toBe(true);
        expect(schemas['Ih2005MissingKeySecret']['allOf'][0]).toEqual({
          $ref: '#/components/schemas/TransitionError',
        });
      } else {
        expect(schemas['TransitionError']).toBeUndefined();
        expect(schemas['LegacyError']).toBeUndefined();
        expect(schemas['Ih2005MissingKeySecret']['allOf'][0]).toEqual({
          $ref: '#/components/schemas/StructuredError',
        });
        expect(JSON.stringify(doc['components']['responses'])).not.toContain('status_code');
      }
    });

    it('has servers, a license, and operationIds and security on every operation (public ones [])', () => {
      expect(doc['servers']).toEqual([expect.objectContaining({ url: expect.any(String) })]);
      expect(doc['info']['license']).toMatchObject({ name: 'MIT' });
      const ids: string[] = [];
      const publicOps: string[] = [];
      for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc['paths']))
        for (const [method, operation] of Object.entries(item)) {
          expect(operation['operationId'], `${method} ${path}`).toEqual(expect.any(String));
          ids.push(operation['operationId'] as string);
          expect(operation['security'], `${method} ${path}`).toBeInstanceOf(Array);
          if ((operation['security'] as unknown[]).length === 0)
            publicOps.push(`${method.toUpperCase()} ${path}`);
        }
      expect(new Set(ids).size).toBe(ids.length);
      expect(publicOps.sort()).toEqual([
        'GET /docs/errors',
        'GET /docs/errors.md',
        'GET /healthz',
        'GET /openapi.json',
        'POST /v0/auth',
      ]);
    });

    it('counts the same 37 catalog entries as the docs pages, with the framework answers apart', async () => {
      // biome-ignore lint/suspicious/noExplicitAny: parsed JSON schemas
      const entries = Object.values<any>(doc['components']['schemas']).filter((s) => s['x-faultline']);
      const own = entries.filter((s) => !s['x-faultline'].builtin).map((s) => s['x-faultline'].id);
      const builtin = entries.filter((s) => s['x-faultline'].builtin).map((s) => s['x-faultline'].id);
      expect(own.sort()).toEqual(signals.entries.map((e) => e.id).sort());
      expect(own).toHaveLength(37);
      expect(builtin.every((id) => !id.startsWith('ih'))).toBe(true);
      const html = await (await fetch(`${server.url}/docs/errors`)).text();
      const md = await (await fetch(`${server.url}/docs/errors.md`)).text();
      const format = mode === 'legacy' ? 'transition' : 'structured';
      for (const page of [html, md]) {
        expect(page).toContain('37 errors, grouped by category.');
        expect(page).toContain(
          `lists apart the ${builtin.length} answers the server framework gives on its own`,
        );
        expect(page.includes('the deprecated fields of the legacy shape')).toBe(mode === 'legacy');
      }
      expect(md).toContain(`Bodies use the \`${format}\` format`);
      expect(html).toContain(`Bodies use the <code>${format}</code> format`);
      expect(doc['info']['description']).toContain(`the 37 catalog entries`);
      expect(doc['info']['description']).toContain(
        `one of the ${builtin.length} answers the framework gives`,
      );
    });
  },
);

// The contract check itself must be able to fail, or the guarantee it gives is empty.
describe('the contract check of the black-box support', () => {
  it('rejects at stop() an answer its own OpenAPI does not describe', async () => {
    const server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL.structured });
    const fake = (status: number, body: string, headers: Record<string, string>) =>
      new Response(body, { status, headers });
    const id = { 'x-correlation-id': crypto.randomUUID(), 'content-type': 'application/json' };
    // Fastify's own body, as the service answered bad URLs before frameworkErrors.
    recordResponse(
      server.url,
      'GET',
      '/docs/errors%ZZ',
      fake(400, '{"error":"Bad Request","code":"FST_ERR_BAD_URL"}', id),
    );
    // A status the operation does not declare.
    recordResponse(server.url, 'POST', '/v0/auth', fake(418, '{}', id));
    // A legacy body on a server past the sunset.
    recordResponse(
      server.url,
      'POST',
      '/v0/auth',
      fake(
        400,
        JSON.stringify({
          detail: 'x',
          status_code: 400,
          extra: {},
          error_id: 'ih2005',
          message: 'x',
          link: 'x',
          correlation_id: id['x-correlation-id'],
        }),
        {
          'content-type': 'application/json',
        },
      ),
    );
    const stopped = server.stop();
    await expect(stopped).rejects.toThrow(/GET \/docs\/errors%ZZ → 400: body .* fails its schema/);
    await expect(stopped).rejects.toThrow(/POST \/v0\/auth → 418: status 418 is not declared/);
    await expect(stopped).rejects.toThrow(
      /POST \/v0\/auth → 400: required header X-Correlation-ID is missing/,
    );
    await expect(stopped).rejects.toThrow(/must NOT have additional properties|fails its schema/);
  });
});
