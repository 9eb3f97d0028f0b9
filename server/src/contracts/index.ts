export * from './alarm';
export * from './api';
export * from './grading';
export * from './health';
export * from './realtime';
export * from './site';
export * from './telemetry';
export * from './topics';
