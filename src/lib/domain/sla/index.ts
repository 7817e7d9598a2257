export * from './calendar';
export * from './clock';
export * from './holidays-cz';
export * from './policy';
export * from './calendar-entries';
export * from './ticket-sla';
