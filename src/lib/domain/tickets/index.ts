export * from './build';
export * from './check';
export * from './events';
export * from './ids';
export * from './lifecycle';
export * from './merge';
export * from './report';
export * from './auto-assign';
