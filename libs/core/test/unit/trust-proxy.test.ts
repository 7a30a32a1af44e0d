import { configFields } from '@pitlane/core';

describe('config: TRUST_PROXY', () => {
  const parse = (value?: string) => configFields.trustProxy().safeParse(value);

  it('when unset or empty, then no proxy is trusted', () => {
    expect(parse().data).toBe(false);
    expect(parse('').data).toBe(false);
  });

  it('when a hop count or CIDRs are given, then express gets them as such', () => {
    expect(parse('2').data).toBe(2);
    expect(parse('10.0.0.0/8, 127.0.0.1,::1/128,loopback').data).toEqual(['10.0.0.0/8', '127.0.0.1', '::1/128', 'loopback']);
  });

  it.each(['10.0.0.0/33', 'example.com', '1.2.3.4/8/1', 'true'])('when it is %j, then the config is refused', (value) => {
    expect(parse(value).success).toBe(false);
  });
});
