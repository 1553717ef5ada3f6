import { serve } from '@hono/node-server';
import { withFaultline } from 'faultline/fetch';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { openStore } from './store.ts';

/** `npm start -w examples/clips-api`: Hono on @hono/node-server; prints its URL and a key. */
const config = readConfig(process.env);
const store = openStore(config.database, config.jobSeconds, Date.now);
const { app, respond } = buildApp(config, store);
const server = serve(
  { fetch: withFaultline(app.fetch, respond), hostname: config.host, port: config.port },
  (info) => {
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${info.port}`;
    console.log(`clips-api listening on ${url}`);
    console.log(
      config.generatedKey
        ? `development API key: ${config.keys[0]}  (set API_KEY to choose your own)`
        : `API key(s) from API_KEY: ${config.keys.length}`,
    );
    console.log(
      `try: curl -s ${url}/api/v2/clips -H 'Authorization: Bearer ${config.generatedKey ? config.keys[0] : '<your API_KEY>'}' -H 'content-type: application/json' -d '{"video_url":"https://videos.example/talk.mp4"}'`,
    );
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    server.close(() => {
      store.close();
      process.exit(0);
    });
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
