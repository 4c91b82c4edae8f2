import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * A list of networks in CIDR notation (`10.20.0.0/16, 2001:db8::/32, 192.0.2.7`), as the
 * configuration gives them (BUREAU_NETWORKS): a bare address is a network of one. Matching is
 * node:net's BlockList; an IPv4-mapped IPv6 address (`::ffff:10.20.1.2`, what a dual-stack socket
 * reports) matches the IPv4 networks.
 */
export interface NetworkList {
  /** the entries as given, normalised (`10.20.0.0/16`) */
  readonly entries: string[];
  /** true when `address` (IPv4 or IPv6 text) lies in one of the networks */
  has(address: string | undefined): boolean;
}

/** Why one entry of a network list is not a network, or null when it is. */
export function networkProblem(entry: string): string | null {
  const m = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(entry);
  if (!m) return `'${entry}' is not an address or address/prefix`;
  const [, address, prefix] = m;
  const family = isIPv4(address!) ? 4 : isIPv6(address!) ? 6 : 0;
  if (!family) return `'${address}' is not an IPv4 or IPv6 address`;
  const max = family === 4 ? 32 : 128;
  if (prefix !== undefined && Number(prefix) > max)
    return `'${entry}': the prefix length is at most ${max} for IPv${family}`;
  return null;
}

/** The first problem of a comma-separated list of networks, or null when every entry is one. */
export function networkListProblem(text: string): string | null {
  for (const entry of text.split(',').map((e) => e.trim()))
    if (entry) {
      const problem = networkProblem(entry);
      if (problem) return problem;
    }
  return null;
}

/**
 * Parses a comma-separated list of networks (empty: none).
 * @throws Error naming the first entry that is not a network
 */
export function parseNetworks(text: string): NetworkList {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const list = new BlockList();
  for (const entry of entries) {
    const problem = networkProblem(entry);
    if (problem) throw new Error(problem);
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIPv4(address) ? 'ipv4' : 'ipv6';
    const bits = prefix === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefix);
    list.addSubnet(address, bits, family);
  }
  return {
    entries,
    has(address) {
      if (!address || !entries.length) return false;
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
      if (mapped) return list.check(mapped[1]!, 'ipv4');
      if (isIPv4(address)) return list.check(address, 'ipv4');
      if (isIPv6(address)) return list.check(address, 'ipv6');
      return false;
    },
  };
}
