export * from './start-service';
export * from './roles';
export * from './periodic-task';
