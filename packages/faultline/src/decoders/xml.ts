/** How much of an XML body is scanned: error documents are small; a huge one is not worth a regex pass. */
const XML_SCAN = 16_384;

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * The text of the first `<name>` element of an XML error document (AWS, S3, Azure Storage),
 * entities decoded; undefined when absent. Not an XML parser: error documents are flat.
 * @example xmlText('<Error><Code>NoSuchKey</Code></Error>', 'Code') // 'NoSuchKey'
 */
export function xmlText(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]{0,2000})</${name}>`).exec(xml.slice(0, XML_SCAN));
  if (!match) return undefined;
  return match[1]!.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ENTITIES[e]!).trim();
}

/**
 * Whether a text body is an XML error document: it starts with `<?xml` or `<Error…`/`<Response>`.
 * @example looksLikeXmlError('<?xml version="1.0"?><Error>…') // true
 */
export function looksLikeXmlError(text: string): boolean {
  const head = text.slice(0, 256).trimStart();
  return /^<(?:\?xml|Error[\s>]|ErrorResponse[\s>]|Response>)/.test(head) && head.includes('<');
}
