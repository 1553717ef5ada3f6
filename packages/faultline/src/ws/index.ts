/**
 * faultline/ws: catalog errors on WebSocket sessions, for any Node server that uses `ws`
 * (typed structurally: neither `ws` nor `@types/ws` is needed to compile against it).
 * Error messages and close codes/reasons from the catalog, idle and maximum-duration timers on
 * an injected clock, a drain controller for shutdowns, and HTTP refusals before an upgrade.
 */
export {
  createDrain,
  type Drain,
  type DrainOptions,
  finalWarningLeadMs,
  type StartDrainOptions,
} from './drain.ts';
export {
  closeCodeOf,
  closeReason,
  errorFrame,
  type Frame,
  type FrameContext,
  fitReason,
  MAX_CLOSE_REASON_BYTES,
  message,
} from './frame.ts';
export { rejectUpgrade } from './reject.ts';
export { createWsSession, type WsSession, type WsSessionOptions } from './session.ts';
export type { WebSocketLike, WsData } from './socket.ts';
export {
  type Clock,
  createSessionTimers,
  type SessionTimerOptions,
  type SessionTimers,
  systemClock,
} from './timers.ts';
