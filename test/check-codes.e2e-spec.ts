import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestApp, createTestApp } from './helpers.js';
import { completeTestCode, issueTestCode } from './check-code-fixtures.js';

describe('inspection codes: issuing and carrying out', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('issues a code for a routine task and completes it', async () => {
    const code = await issueTestCode(t);
    expect(code.codeNo).toMatch(/^[A-Z2-7]{8}$/);
    expect(code.codeText).toMatch(/^JC1\./);
    const done = await completeTestCode(t, code);
    expect(done.status).toBe('completed');
  });

  it('issues a code for an event task', async () => {
    const code = await issueTestCode(t, { kind: 'event' });
    expect(code.triggerIds).toHaveLength(1);
    await completeTestCode(t, code);
  });

  it('issues one code for a joint visit and completes it', async () => {
    const code = await issueTestCode(t, { kind: 'joint' });
    expect(code.taskIds).toHaveLength(2);
    await completeTestCode(t, code);
  });
});
