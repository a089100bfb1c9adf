import { describe, expect, it } from 'vitest';
import { blockedAddress } from './webhook-targets.js';

describe('webhook target addresses', () => {
  it('refuses loopback, private, link-local, unspecified and CGNAT addresses, in IPv4 and IPv6', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'], ['127.255.1.2', 'loopback'], ['::1', 'loopback'],
      ['10.0.0.5', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
      ['fc00::1', 'private'], ['fd12:3456::1', 'private'],
      ['169.254.169.254', 'link_local'], ['fe80::1', 'link_local'], ['fe80::1%eth0', 'link_local'], ['febf::1', 'link_local'],
      ['0.0.0.0', 'unspecified'], ['::', 'unspecified'],
      ['100.64.0.1', 'shared'], ['100.127.255.254', 'shared'],
      ['224.0.0.1', 'multicast'], ['ff02::1', 'multicast'], ['255.255.255.255', 'reserved'],
    ];
    for (const [ip, kind] of cases) expect([ip, blockedAddress(ip)]).toEqual([ip, kind]);
  });

  it('sees IPv4 through its IPv6 forms: mapped, compatible, NAT64, 6to4', () => {
    for (const [ip, kind] of [
      ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['0:0:0:0:0:ffff:a00:5', 'private'],
      ['::ffff:169.254.169.254', 'link_local'], ['::ffff:0.0.0.0', 'unspecified'], ['::127.0.0.1', 'loopback'],
      ['64:ff9b::10.0.0.1', 'private'], ['2002:c0a8:0101::1', 'private'],
    ]) expect([ip, blockedAddress(ip)]).toEqual([ip, kind]);
  });

  it('lets public addresses through, and names are not addresses', () => {
    for (const ip of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '169.255.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:0808:0808::1', 'example.com']) {
      expect([ip, blockedAddress(ip)]).toEqual([ip, null]);
    }
  });
});
