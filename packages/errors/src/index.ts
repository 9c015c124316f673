export { errorCodes, type ErrorCode } from './codes.ts';
export { TributaryError, isTributaryError, type TributaryErrorOptions } from './tributary-error.ts';
