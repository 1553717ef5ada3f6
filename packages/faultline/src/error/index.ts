export { API_ERROR_BRAND, ApiError, isApiError } from './api-error.ts';
