export * from './scenario.loader';
export * from './scenario.runner';
export * from './scenario.schema';
