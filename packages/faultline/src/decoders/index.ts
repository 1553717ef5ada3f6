/**
 * faultline/decoders: the error shapes of other ecosystems' APIs (Google AIP-193, OpenAI, Stripe,
 * Azure, AWS JSON and XML, GitHub), the `generic` conventions, HTML pages and decoder lists of
 * your own (`decodeWith`), opt-in so that `faultline/client` stays small without them.
 * Browser-safe: imports no server code.
 * @example
 * import { createClient } from 'faultline/client';
 * import { decodeAnyError } from 'faultline/decoders';
 * const api = createClient({ baseUrl: 'https://api.example.com', decode: decodeAnyError });
 */
export { aws } from '../formats/aws.ts';
export { azure } from '../formats/azure.ts';
export { generic } from '../formats/generic.ts';
export { github } from '../formats/github.ts';
export { google } from '../formats/google.ts';
export { htmlPage } from '../formats/html.ts';
export { openai } from '../formats/openai.ts';
export { stripe } from '../formats/stripe.ts';
export { decodeAnyError } from './decode-any.ts';
export { decodeWith } from './decode-with.ts';
export { anyDecoders } from './list.ts';
