import { buildApp } from './app.ts';
import { readConfig } from './config.ts';

/** `npm start -w examples/reels-api`: listens on HOST:PORT and prints its URL and a token. */
const config = readConfig(process.env);
const app = await buildApp(config);
await app.listen({ host: config.host, port: config.port });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
console.log(`reels-api listening on ${url}`);
console.log(
  config.generatedToken
    ? `development API token: ${config.tokens[0]}  (set API_KEY to choose your own)`
    : `API token(s) from API_KEY: ${config.tokens.length}`,
);
console.log(
  `try: curl -s ${url}/api/v1/reels/1 -H 'Authorization: Bearer ${config.generatedToken ? config.tokens[0] : '<your API_KEY>'}'`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    app.close().then(() => process.exit(0));
  });
