import { Inject, Injectable } from '@nestjs/common';
import { createHash, KeyObject } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { loadCheckpointKey } from '../../audit/checkpoint-store.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { buildTrustList, signTrustList, TrustList } from '../rules/trust-list.js';
import { KeysService } from './keys.service.js';

/**
 * The published trust list (JC-TL/1, rules/trust-list.ts; docs/check-code-format.md "信任列表"):
 * every signing key with its status and validity, signed with the bureau's audit checkpoint key
 * (AUDIT_KEY_FILE, outside the database: the same file on every instance, as for the audit
 * checkpoints). Read from the database on each call (one query; the routes are cached by
 * clients for 300 s and answer 304 to a revalidation while the keys are unchanged).
 */
@Injectable()
export class TrustListService {
  private signingKey: KeyObject | null = null;

  constructor(
    private readonly keys: KeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The signed list as of `at`, and its entity tag: a weak ETag over what the keys say (format,
   * issuer, keys), not over generatedAt and the signature, so that a client revalidating a copy
   * whose keys are unchanged gets 304 Not Modified.
   * @throws Error when the checkpoint key cannot be read (AUDIT_KEY_FILE mode or content)
   */
  async current(at: Date = new Date()): Promise<{ list: TrustList; etag: string }> {
    const records = await this.keys.all();
    const list = buildTrustList(this.config.CHECK_CODE_ISSUER, at.toISOString(), records);
    const digest = createHash('sha256')
      .update(stringify({ format: list.format, issuer: list.issuer, keys: list.keys })!)
      .digest('base64url')
      .slice(0, 22);
    return { list: signTrustList(list, this.key()), etag: `W/"${digest}"` };
  }

  /** The checkpoint key (made on first use like the audit checkpoints' own). */
  private key(): KeyObject {
    this.signingKey ??= loadCheckpointKey(this.config.AUDIT_KEY_FILE, true)!.privateKey;
    return this.signingKey;
  }
}
