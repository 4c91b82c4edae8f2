import { networkListProblem, networkProblem, parseNetworks } from './networks.js';

describe('network lists (BUREAU_NETWORKS)', () => {
  it('matches IPv4 and IPv6 networks, bare addresses and IPv4-mapped IPv6 addresses', () => {
    const n = parseNetworks(' 10.20.0.0/16, 192.0.2.7 ,2001:db8:1::/48,');
    expect(n.entries).toEqual(['10.20.0.0/16', '192.0.2.7', '2001:db8:1::/48']);
    expect(n.has('10.20.255.1')).toBe(true);
    expect(n.has('10.21.0.1')).toBe(false);
    expect(n.has('192.0.2.7')).toBe(true);
    expect(n.has('192.0.2.8')).toBe(false);
    expect(n.has('::ffff:10.20.3.4')).toBe(true);
    expect(n.has('::ffff:10.30.3.4')).toBe(false);
    expect(n.has('2001:db8:1:ffff::1')).toBe(true);
    expect(n.has('2001:db8:2::1')).toBe(false);
    expect(n.has(undefined)).toBe(false);
    expect(n.has('not an address')).toBe(false);
  });

  it('an empty list holds nothing', () => {
    const n = parseNetworks('');
    expect(n.entries).toEqual([]);
    expect(n.has('127.0.0.1')).toBe(false);
  });

  it('names a bad entry', () => {
    expect(networkProblem('10.0.0.0/33')).toBe("'10.0.0.0/33': the prefix length is at most 32 for IPv4");
    expect(networkProblem('::/129')).toBe("'::/129': the prefix length is at most 128 for IPv6");
    expect(networkProblem('10.0.0/8')).toBe("'10.0.0' is not an IPv4 or IPv6 address");
    expect(networkProblem('bureau.example')).toBe("'bureau.example' is not an IPv4 or IPv6 address");
    expect(networkProblem('10.0.0.0/8/8')).toMatch(/is not an address or address\/prefix/);
    expect(networkProblem('10.0.0.0/32')).toBeNull();
    expect(networkListProblem('10.0.0.0/8, , 2001:db8::/32')).toBeNull();
    expect(networkListProblem('10.0.0.0/8, 300.1.1.1')).toBe("'300.1.1.1' is not an IPv4 or IPv6 address");
    expect(() => parseNetworks('10.0.0.0/8, x')).toThrow("'x' is not an IPv4 or IPv6 address");
  });
});
