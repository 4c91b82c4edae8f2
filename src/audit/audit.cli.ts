import type { Command } from 'commander';
import { withAppContext } from '../bootstrap.js';
import { out } from '../cli-kit.js';
import { AuditService } from './audit.service.js';

/**
 * `audit verify [--expect-head seq:hash]`: walk the hash chain and check it against the signed
 * checkpoints; `audit checkpoint`: sign the head (docs/security.md).
 */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit trail (全过程留痕)');
  audit
    .command('verify')
    .description('walk the hash chain and report the first broken link (exit 1 when broken)')
    .option(
      '--expect-head <seq:hash>',
      'a head recorded earlier: the chain must still reach it with this hash',
    )
    .action((o: { expectHead?: string }) =>
      withAppContext(
        async (app) => {
          let expect: { seq: number; hash: string } | undefined;
          if (o.expectHead) {
            const m = /^(\d+):([0-9a-f]{64})$/.exec(o.expectHead);
            if (!m) throw new Error(`--expect-head must be <seq>:<64 hex>, not '${o.expectHead}'`);
            expect = { seq: Number(m[1]), hash: m[2]! };
          }
          const r = await app.get(AuditService).verify(expect);
          if (r.ok) {
            out(`audit chain intact: ${r.entries} entries`);
            if (expect) out(`the recorded head ${expect.seq} is in the chain with the same hash`);
            const last = r.latestCheckpoint;
            out(
              last
                ? `${r.checkpoints} signed checkpoint(s) hold, the newest at entry ${last.seq} (${last.at})`
                : 'no signed checkpoint yet (sign one with `audit checkpoint`)',
            );
            out(`head: ${r.head.seq}:${r.head.hash}  (record it; check later with --expect-head)`);
          } else {
            out(`audit chain BROKEN at entry ${r.broken!.seq}: ${r.broken!.reason}`);
            out(`intact up to: ${r.head.seq}:${r.head.hash} (${r.entries} entries)`);
            // an error exits 1 (process.exitCode would be reset by the embedded server's exit hook)
            throw new Error(`the audit chain is broken at entry ${r.broken!.seq}`);
          }
        },
        { quiet: true },
      ),
    );

  audit
    .command('checkpoint')
    .description(
      'walk the chain, then sign its head with the checkpoint key (AUDIT_KEY_FILE) and store it in the database and the file beside the key',
    )
    .action(() =>
      withAppContext(
        async (app) => {
          const cp = await app.get(AuditService).checkpoint();
          out(`signed checkpoint: ${cp.seq}:${cp.hash} at ${cp.at} (key ${cp.keyId})`);
        },
        { quiet: true },
      ),
    );
}
