export { requestOrigin, type RequestOrigin } from '#libs/common/http/request-origin.js';
