/** Every route is served under this prefix (`setupApp` sets it); build `Location`s and paths with it. */
export const API_PREFIX = '/api/v1';
