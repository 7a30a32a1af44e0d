import { Writable } from 'node:stream';

import { createLogger, INTERNAL_TOKEN_HEADER } from '@pitlane/core';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('logger redaction', () => {
  it('when a line carries request headers, then the API key, the bearer token and the internal token are redacted and the rest is kept', () => {
    const { lines, stream } = capture();
    const logger = createLogger('test', 'info', stream);
    const headers = {
      'x-api-key': 'pl_live_secretsecretsecretsecretsecret01',
      authorization: 'Bearer pl_live_secretsecretsecretsecretsecret02',
      [INTERNAL_TOKEN_HEADER]: 'eyJhbGciOiJIUzI1NiJ9.claims.signature',
      'x-request-id': 'req-1',
    };

    logger.info({ req: { headers }, headers }, 'proxying');

    const text = JSON.stringify(lines);
    expect(text).not.toContain('pl_live_');
    expect(text).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    for (const where of [(lines[0]?.req as { headers: Record<string, string> }).headers, lines[0]?.headers as Record<string, string>]) {
      expect(where).toEqual({
        'x-api-key': '[redacted]',
        authorization: '[redacted]',
        [INTERNAL_TOKEN_HEADER]: '[redacted]',
        'x-request-id': 'req-1',
      });
    }
  });

  it('when the internal token header is named, then it is the header the gateway sets and the services read', () => {
    expect(INTERNAL_TOKEN_HEADER).toBe('x-pitlane-internal-token');
  });
});
