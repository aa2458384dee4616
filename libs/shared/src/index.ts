export * from './vocabulary.js';
export * from './document.js';
export * from './contracts.js';
export * from './events.js';
export * from './schemas/text.js';
export * from './schemas/consultations.js';
export * from './tally.js';
export * from './schemas/positions.js';
