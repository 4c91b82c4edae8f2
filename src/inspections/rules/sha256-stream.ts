import * as nodeCrypto from 'node:crypto';

const { createHash } = nodeCrypto;

/**
 * Seeded randomness anybody can recompute in any language (issue 11 "a draw nobody can bias and
 * anybody can re-run"; the model is Rivest's SHA-256 sampler used by risk-limiting audits): the
 * i-th number of the stream labelled `label` is SHA-256 over the UTF-8 text `<seed>|<label>|<i>`
 * (i from 0, in decimal), read as a 256-bit unsigned big-endian integer. An integer below n is that
 * number mod n (the bias is below n / 2^256: none that matters). Pure; no Math.random().
 */
export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** One-shot SHA-256 (crypto.hash, Node 20.12+, about twice as quick as createHash for short texts). */
const oneShot = (
  nodeCrypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }
).hash;
const digestOf = (text: string): Buffer =>
  oneShot ? oneShot('sha256', text, 'buffer') : createHash('sha256').update(text).digest();

/** Below this n, the 256-bit number mod n is computed 16 bits at a time in exact double arithmetic. */
const SMALL_MODULUS = 2 ** 36;

/** A 256-bit big-endian number mod n (n a positive safe integer): the same value as BigInt arithmetic gives. */
export function digestMod(digest: Buffer, n: number): number {
  if (n < SMALL_MODULUS) {
    // r < n < 2^36, so r * 65536 + w < 2^52: every step is exact
    let r = 0;
    for (let i = 0; i < 32; i += 2) r = (r * 65536 + ((digest[i]! << 8) | digest[i + 1]!)) % n;
    return r;
  }
  return Number(BigInt('0x' + digest.toString('hex')) % BigInt(n));
}

/** A stream of uniform integers from SHA-256 in counter mode (see the module comment). */
export class Sha256Stream {
  private counter = 0;
  private readonly prefix: string;

  constructor(
    readonly seed: string,
    readonly label: string,
  ) {
    this.prefix = `${seed}|${label}|`;
  }

  /** How many numbers have been taken so far. */
  get taken(): number {
    return this.counter;
  }

  /**
   * The next integer in [0, n).
   * @throws RangeError when n is not a positive safe integer
   */
  below(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`below(${n}): n must be a positive integer`);
    const digest = digestOf(this.prefix + String(this.counter++));
    if (n === 1) return 0;
    return digestMod(digest, n);
  }
}

/**
 * The first k positions of a Fisher-Yates shuffle of `items` driven by `stream`: for i = 0..k-1,
 * j = i + stream.below(length - i), swap items[i] and items[j]. Works in place on a copy and
 * returns it whole: positions 0..k-1 are the drawn order, the rest is not yet shuffled. Taking
 * more later (a replacement) continues the same shuffle: call `continueShuffle` with the same
 * stream, never a fresh one.
 */
export function shuffledPrefix<T>(items: readonly T[], k: number, stream: Sha256Stream): T[] {
  const out = items.slice();
  continueShuffle(out, 0, Math.min(k, out.length), stream);
  return out;
}

/** An array or a typed array (Int32Array of roster indices: the draw of a million shuffles those). */
export interface WritableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

/**
 * Shuffles positions from..to-1 of `arr` in place, continuing a Fisher-Yates shuffle (see
 * shuffledPrefix). Takes exactly min(to, length) - from numbers of the stream.
 */
export function continueShuffle<T>(
  arr: WritableArrayLike<T>,
  from: number,
  to: number,
  stream: Sha256Stream,
): void {
  for (let i = from; i < Math.min(to, arr.length); i++) {
    const j = i + stream.below(arr.length - i);
    const t = arr[i]!;
    arr[i] = arr[j]!;
    arr[j] = t;
  }
}
