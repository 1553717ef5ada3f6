export {
  type Authenticate,
  type AuthenticateOptions,
  type AuthHook,
  createAuthenticate,
  decorateAuth,
  tokenFromRequest,
} from './authenticate.ts';
export { checkCredentials, generateKeyPair, type KeyPair } from './credentials.ts';
export { ALL_SCOPES, isScope, SCOPES, type Scope } from './scopes.ts';
export { burnVerify, DEFAULT_SCRYPT, hashSecret, type ScryptParams, verifySecret } from './secrets.ts';
export {
  createTokenService,
  JWT_SECRET_SETTING,
  resolveJwtSecret,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TOKEN_TTL_SECONDS,
  type TokenClaims,
  type TokenService,
  type TokenServiceOptions,
  type VerifyResult,
} from './tokens.ts';
