/**
 * The keyring every test lake on Kafka or Kinesis signs with: such a log is
 * shared by every host, which must all be given one keyring (app/backends.ts).
 */
export const TEST_CHAIN_KEY = Buffer.alloc(32, 7).toString('base64');
