/** The winter road-maintenance dispatch domain: shared by the gateway and the screens. */
export * from './types';
export * from './geo';
export * from './plan';
export * from './service-hours';
export * from './section-state';
export * from './entry-types';
export * from './denik';
export { checkWinterWrite, receiptIdFor, type WinterHooks } from './rules';
export * from './build';
