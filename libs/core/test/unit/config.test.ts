import { ConfigError, baseServiceConfig, loadConfig } from '@pitlane/core';

describe('config', () => {
  it('when required variables are missing or malformed, then start-up fails with one message naming each', () => {
    const attempt = () =>
      loadConfig('bookings', baseServiceConfig(3001, 'pitlane_bookings'), {
        PORT: 'eighty',
        MONGO_URL: 'http://localhost:27017',
        INTERNAL_JWT_SECRET: 'short',
      });

    expect(attempt).toThrow(ConfigError);
    let message = '';
    try {
      attempt();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('Invalid configuration for bookings:');
    expect(message).toMatch(/- PORT: .+/);
    expect(message).toContain('- MONGO_URL: must be a URL starting with mongodb:// or mongodb+srv://');
    expect(message).toContain('- INTERNAL_JWT_SECRET: must be at least 32 characters');
  });

  it('when the secret is absent, then the message says it is required', () => {
    expect(() => loadConfig('billing', baseServiceConfig(3003, 'pitlane_billing'), {})).toThrow(
      /INTERNAL_JWT_SECRET: is required/,
    );
  });

  it('when the environment is valid, then defaults fill the rest and numbers are numbers', () => {
    const config = loadConfig('inventory', baseServiceConfig(3002, 'pitlane_inventory'), {
      INTERNAL_JWT_SECRET: 'x'.repeat(32),
      PORT: '0',
    });
    expect(config).toMatchObject({
      PORT: 0,
      MONGO_DB: 'pitlane_inventory',
      MONGO_URL: 'mongodb://127.0.0.1:27017',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      LOG_LEVEL: 'info',
    });
  });

  it('when METRICS_PORT is unset, then it stays unset (metrics on PORT); when set, it is that port', () => {
    const schema = baseServiceConfig(3002, 'pitlane_inventory');
    const base = { INTERNAL_JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig('inventory', schema, base).METRICS_PORT).toBeUndefined();
    expect(loadConfig('inventory', schema, { ...base, METRICS_PORT: '9464' }).METRICS_PORT).toBe(9464);
    expect(loadConfig('inventory', schema, base).MONGO_OP_TIMEOUT_MS).toBe(5_000);
  });
});
