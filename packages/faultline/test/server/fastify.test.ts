import { fastifyAdapter } from './apps/fastify-app.ts';
import { runConformance } from './conformance.ts';
import { runFuzz } from './fuzz.ts';

runConformance(fastifyAdapter);
runFuzz(fastifyAdapter);
