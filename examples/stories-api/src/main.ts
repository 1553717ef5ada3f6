import { buildApp } from './app.ts';
import { readConfig } from './config.ts';

/** `npm start -w examples/stories-api`: listens on HOST:PORT and prints its URL and a key. */
const config = readConfig(process.env);
const app = await buildApp(config);
await app.listen({ host: config.host, port: config.port });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
console.log(`stories-api listening on ${url}`);
console.log(
  config.generatedKey
    ? `development API key: ${config.keys[0]!.key}  (${config.keys[0]!.minutes} minutes; set API_KEY to choose your own)`
    : `API key(s) from API_KEY: ${config.keys.length}`,
);
console.log(
  `try: curl -s ${url}/api/v1/usage -H 'Authorization: Bearer ${config.generatedKey ? config.keys[0]!.key : '<your API_KEY>'}'`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    app.close().then(() => process.exit(0));
  });
