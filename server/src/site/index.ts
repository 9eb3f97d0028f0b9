export * from './site.index';
export * from './site.loader';
export * from './site.validate';
