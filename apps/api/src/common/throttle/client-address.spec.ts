import { clientAddress } from './client-address.js';

const of = (ip: string | undefined) => clientAddress({ ip, socket: { remoteAddress: '10.9.9.9' } } as never);

describe('clientAddress', () => {
  it('keeps an IPv4 address and unwraps an IPv4-mapped one', () => {
    expect(of('203.0.113.7')).toBe('203.0.113.7');
    expect(of('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('reduces IPv6 to its /64, however it is written', () => {
    expect(of('2001:db8:aa:bb::1')).toBe('2001:db8:aa:bb::/64');
    expect(of('2001:0DB8:00aa:00bb:ffff:1:2:3')).toBe('2001:db8:aa:bb::/64');
    expect(of('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(of('::1')).toBe('0:0:0:0::/64');
    expect(of('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('falls back to the socket address', () => {
    expect(of(undefined)).toBe('10.9.9.9');
  });
});
