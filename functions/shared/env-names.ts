/** Environment variable names shared by the functions and infra/ (which sets them). */
export const IDENTITY_KEY_ENV = 'LEADFLOW_IDENTITY_KEY';
