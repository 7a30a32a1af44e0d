export * from './bus';
export * from './dedupe';
export * from './envelope';
export * from './outbox';
export * from './topology';
export * from './hosts';
export * from './ordering';
