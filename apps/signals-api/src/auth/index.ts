export {
  type Authenticate,
  type AuthenticateOptions,
  type AuthHook,
  createAuthenticate,
  decorateAuth,
  isWebSocketUpgrade,
  type TokenSource,
  tokenFromRequest,
} from './authenticate.ts';
export { type CredentialOptions, checkCredentials, generateKeyPair, type KeyPair } from './credentials.ts';
export { ALL_SCOPES, isScope, SCOPES, type Scope } from './scopes.ts';
export {
  createSecretHasher,
  DEFAULT_SCRYPT,
  hasherFor,
  hashSecret,
  KEY_PEPPER_SETTING,
  resolveKeyPepper,
  type ScryptParams,
  type SecretHasher,
  verifySecret,
} from './secrets.ts';
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
