export {
  type AccountLimits,
  type AccountLimitsOptions,
  createAccountLimits,
  type Ticket,
} from './account.ts';
export { serviceClock } from './clock.ts';
export { type OpenedLimiter, openLimiter } from './limiter.ts';
export { type Charge, precheckQuota, quotaError, quotaWindows, reserveMinutes } from './quota.ts';
