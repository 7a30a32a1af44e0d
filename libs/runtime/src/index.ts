export * from './start-service';
export * from './roles';
