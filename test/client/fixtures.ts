// Identifiers and credentials the auth tests share: realistic shapes, none of them real.
export const PROJECT = "0123456789abcdef0123456789abcdef";
export const INSTANCE = "instance_01";
export const AK = "HPUAAKEXAMPLE1234567";
export const SK = "sk-EXAMPLE-0123456789abcdefghijklmnopqrstuv";
export const STS = "gQpjbi1ub3J0aC00Tk9URUFSRUFMVE9LRU4-security_token+/=";
/** A leap-day instant with milliseconds, so X-Sdk-Date formatting is exercised. */
export const FIXED = new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789));
