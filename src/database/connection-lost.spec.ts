import { describe, expect, it } from '@jest/globals';
import { connectionLostLine, DatabaseGoneError, isConnectionLost } from './connection-lost.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isConnectionLost', () => {
  it.each([
    ['refused', withCode('connect ECONNREFUSED 127.0.0.1:54320', 'ECONNREFUSED')],
    ['reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ['broken pipe', withCode('write EPIPE', 'EPIPE')],
    ['admin shutdown', withCode('terminating connection due to administrator command', '57P01')],
    ['crash', withCode('terminating connection due to unexpected postmaster exit', '57P02')],
    ['starting or stopping', withCode('the database system is shutting down', '57P03')],
    ['connection exception class 08', withCode('connection failure', '08006')],
    ['socket closed', new Error('Connection terminated unexpectedly')],
    ['client not queryable', new Error('Client has encountered a connection error and is not queryable')],
  ])('%s', (_name, e) => expect(isConnectionLost(e)).toBe(true));

  it('looks through a TypeORM QueryFailedError (driverError) and an Error cause', () => {
    const typeorm = Object.assign(new Error('query failed'), { driverError: withCode('x', '57P01') });
    expect(isConnectionLost(typeorm)).toBe(true);
    expect(isConnectionLost(new Error('import failed', { cause: withCode('y', 'EPIPE') }))).toBe(true);
  });

  it.each([
    ['a constraint violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a permission error', withCode('permission denied for table audit_log', '42501')],
    ['a plain error', new Error("'x' is not a date YYYY-MM-DD")],
    ['not an error', 'text'],
    ['nothing', undefined],
  ])('not %s', (_name, e) => expect(isConnectionLost(e)).toBe(false));

  it('stops on a cause cycle', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = a;
    expect(isConnectionLost(a)).toBe(false);
  });
});

describe('connectionLostLine', () => {
  it('is one line naming the driver message and what to do', () => {
    const line = connectionLostLine(new Error('Connection terminated unexpectedly\n    at Client...'));
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^the database went away \(Connection terminated unexpectedly\)/);
    expect(line).toMatch(/run the command again$/);
  });
});

describe('DatabaseGoneError', () => {
  it('says the database no longer answers, keeps the symptom as its cause, and counts as lost', () => {
    const symptom = new Error('Query runner already released');
    const e = new DatabaseGoneError(symptom);
    expect(e.message).toMatch(/^the database went away \(it no longer answers\)/);
    expect(e.cause).toBe(symptom);
    expect(isConnectionLost(e)).toBe(true);
  });
});
