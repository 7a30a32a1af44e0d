import { ipLiteralOf, isForbiddenAddress } from '../../src/domain/address-policy';

describe('SSRF address policy', () => {
  it('when addresses are classified, then private, reserved and mapped ones are forbidden and public ones are not', () => {
    const forbidden = ['0.0.0.0', '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '224.0.0.1', '::', '::1', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:a00:1', '64:ff9b::a9fe:a9fe', 'not-an-ip'];
    const allowed = ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'];
    expect(forbidden.filter((address) => !isForbiddenAddress(address))).toEqual([]);
    expect(allowed.filter((address) => isForbiddenAddress(address))).toEqual([]);
  });

  it('when a URL host is read, then IP literals (bracketed IPv6 too) are found and names are not', () => {
    expect(ipLiteralOf('127.0.0.1')).toBe('127.0.0.1');
    expect(ipLiteralOf('[::1]')).toBe('::1');
    expect(ipLiteralOf('example.com')).toBeNull();
    expect(ipLiteralOf('localhost')).toBeNull();
  });
});
