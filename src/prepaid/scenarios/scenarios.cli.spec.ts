import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Command } from 'commander';
import { registerScenarioCommands } from './scenarios.cli.js';

function program(): Command {
  const p = new Command().exitOverride();
  const prepaid = p.command('prepaid').exitOverride();
  registerScenarioCommands(prepaid);
  for (const c of prepaid.commands) c.exitOverride().configureOutput({ writeErr: () => undefined });
  return p;
}

describe('supervision prepaid scenarios', () => {
  afterEach(() => jest.restoreAllMocks());
  it('prints the report as JSON for the population asked', async () => {
    let text = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((s) => {
      text += String(s);
      return true;
    });
    await program().parseAsync(
      ['prepaid', 'scenarios', '--seed', '7', '--healthy', '4', '--closing', '2', '--json'],
      {
        from: 'user',
      },
    );
    const r = JSON.parse(text) as {
      params: { seed: number; healthy: number; closing: number };
      shapes: unknown[];
    };
    expect(r.params).toMatchObject({ seed: 7, healthy: 4, closing: 2 });
    expect(r.shapes.length).toBe(5);
  }, 60_000);
  it('refuses a count that is not a whole number, naming the option', async () => {
    await expect(
      program().parseAsync(['prepaid', 'scenarios', '--healthy', '-3'], { from: 'user' }),
    ).rejects.toThrow(/--healthy: a whole number >= 0 is required/);
  });
});
