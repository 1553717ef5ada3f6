import { expressAdapter } from './apps/express-app.ts';
import { runConformance } from './conformance.ts';
import { runFuzz } from './fuzz.ts';

runConformance(expressAdapter);
runFuzz(expressAdapter);
