/**
 * Scenario 3's upload servers, chosen by argv[2]:
 * - `signals`: the streaming stage of POST /v0/upload/analyze — faultline, the route's own body
 *   setup (no parsers but multipart, throwFileSizeLimit) and its `receiveUpload` (upload gate:
 *   size count + container sniff) to a temp file; no auth, no ffprobe, no analysis.
 * - `bare`: @fastify/multipart with a 100 MB fileSize limit, piping the file to a temp file.
 * Both remove the temp file before answering `{bytes}`, as the route does. 127.0.0.1 only.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import Fastify from 'fastify';
import { transition } from 'faultline';
import { faultlineFastify } from 'faultline/fastify';
import { signals } from '../../apps/signals-api/src/catalog.ts';
import { MAX_UPLOAD_BYTES } from '../../apps/signals-api/src/config.ts';
import { receiveUpload } from '../../apps/signals-api/src/media/receive.ts';
import { announce } from '../lib/child.ts';

const variant = process.argv[2];
const dir = process.argv[3] ?? join(import.meta.dirname, '..', '.tmp', 'uploads');
await mkdir(dir, { recursive: true });
const app = Fastify({ logger: false });

if (variant === 'signals') {
  await app.register(faultlineFastify, {
    catalog: signals,
    format: transition({ legacyUntil: Date.UTC(2999, 0, 1) }),
    coverage: false,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  await app.register(multipart, { throwFileSizeLimit: true });
  app.post('/upload', async (request) => {
    const path = join(dir, `upload-${randomUUID()}`);
    try {
      const upload = await receiveUpload(request, { path, maxBytes: MAX_UPLOAD_BYTES });
      return { bytes: upload.bytes, container: upload.container };
    } finally {
      await rm(path, { force: true });
    }
  });
} else if (variant === 'bare') {
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES }, throwFileSizeLimit: true });
  app.post('/upload', async (request) => {
    const path = join(dir, `upload-${randomUUID()}`);
    try {
      const data = await request.file();
      if (!data) return { bytes: 0 };
      const out = createWriteStream(path);
      await pipeline(data.file, out);
      return { bytes: out.bytesWritten };
    } finally {
      await rm(path, { force: true });
    }
  });
} else {
  throw new Error(`unknown variant "${variant}"; signals or bare`);
}

await app.listen({ host: '127.0.0.1', port: 0 });
announce((app.server.address() as AddressInfo).port);
