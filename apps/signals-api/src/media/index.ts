/**
 * Media inspection for uploads: what a file is (magic bytes, ISO-BMFF atoms) and what it
 * holds (ffprobe), mapped to the catalog's validation and media errors.
 */
export {
  type AtomWalk,
  type Box,
  childBoxes,
  findBoxes,
  listBoxes,
  movieStructureProblem,
  walkFileAtoms,
} from './atoms.ts';
export {
  type Container,
  type ContainerFamily,
  claimMatches,
  containerForName,
  familyOf,
  SUPPORTED_EXTENSIONS,
} from './containers.ts';
export { decodableCodecs, parseDecoderList } from './decoders.ts';
export { type ProbeOutput, type ProbeResult, type ProbeStream, runFfprobe } from './ffprobe.ts';
export { firstBytes, type InspectOptions, inspect } from './inspect.ts';
export {
  MAX_DURATION_SECONDS,
  MAX_SEGMENT_BYTES,
  type MediaFacts,
  type MediaInfo,
  MIN_SEGMENT_BYTES,
  mediaInfoFromProbe,
} from './media-info.ts';
export { copyWithoutServiceTable, dropPid, SDT_PID } from './mpegts.ts';
export { SNIFF_BYTES, sniff } from './sniff.ts';
