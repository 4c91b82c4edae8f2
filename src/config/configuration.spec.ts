import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './configuration.js';

describe('loadConfig: whole-number settings', () => {
  it('reads whole numbers from the environment text', () => {
    const c = loadConfig({ PORT: ' 3001 ', BCRYPT_ROUNDS: '5', SCORING_LOCK_WAIT_SECONDS: '600' });
    expect([c.PORT, c.BCRYPT_ROUNDS, c.SCORING_LOCK_WAIT_SECONDS, c.THROTTLE_LIMIT]).toEqual([
      3001, 5, 600, 300,
    ]);
  });

  it.each([
    [{ PORT: 'abc' }, "PORT: PORT must be a whole number from 0 to 65535, not 'abc'"],
    [{ PORT: '1.5' }, "PORT: PORT must be a whole number from 0 to 65535, not '1.5'"],
    [{ BCRYPT_ROUNDS: '99' }, "BCRYPT_ROUNDS: BCRYPT_ROUNDS must be a whole number from 4 to 15, not '99'"],
    [{ THROTTLE_LIMIT: '0' }, "THROTTLE_LIMIT: THROTTLE_LIMIT must be a whole number from 1 up, not '0'"],
  ])('refuses %j with one reason naming the variable', (env, reason) => {
    expect(() => loadConfig(env)).toThrow(`invalid configuration: ${reason}`);
  });
});

describe('loadConfig: browser sessions', () => {
  it('defaults to a 12-hour session and reads SESSION_MAX_HOURS and SESSION_COOKIE_SECURE', () => {
    expect([loadConfig({}).SESSION_MAX_HOURS, loadConfig({}).SESSION_COOKIE_SECURE]).toEqual([12, 'false']);
    const c = loadConfig({ SESSION_MAX_HOURS: '8', SESSION_COOKIE_SECURE: 'true' });
    expect([c.SESSION_MAX_HOURS, c.SESSION_COOKIE_SECURE]).toEqual([8, 'true']);
  });

  it.each([
    [
      { SESSION_MAX_HOURS: '0' },
      "SESSION_MAX_HOURS: SESSION_MAX_HOURS must be a whole number from 1 to 720, not '0'",
    ],
    [
      { SESSION_MAX_HOURS: '721' },
      "SESSION_MAX_HOURS: SESSION_MAX_HOURS must be a whole number from 1 to 720, not '721'",
    ],
  ])('refuses %j naming the variable', (env, reason) => {
    expect(() => loadConfig(env)).toThrow(`invalid configuration: ${reason}`);
  });

  it('refuses a SESSION_COOKIE_SECURE other than true or false', () => {
    expect(() => loadConfig({ SESSION_COOKIE_SECURE: 'yes' })).toThrow(/SESSION_COOKIE_SECURE/);
  });
});
