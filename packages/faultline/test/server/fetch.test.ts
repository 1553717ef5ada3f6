import { fetchAdapter } from './apps/fetch-app.ts';
import { runConformance } from './conformance.ts';
import { runFuzz } from './fuzz.ts';

runConformance(fetchAdapter);
runFuzz(fetchAdapter);
