import { buildApp } from './app.ts';
import { readConfig } from './config.ts';

/** `npm start -w examples/agents-api`: listens on HOST:PORT and prints its URL and a secret. */
const config = readConfig(process.env);
const app = await buildApp(config);
await app.listen({ host: config.host, port: config.port });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
console.log(`agents-api listening on ${url}`);
console.log(
  config.generatedKey
    ? `development api-secret: ${config.keys[0]!.secret}  (${config.keys[0]!.credits} credits; set API_KEY to choose your own)`
    : `api-secret(s) from API_KEY: ${config.keys.length}`,
);
console.log(
  `try: curl -s ${url}/v1/account -H 'api-secret: ${config.generatedKey ? config.keys[0]!.secret : '<your API_KEY>'}'`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    app.close().then(() => process.exit(0));
  });
