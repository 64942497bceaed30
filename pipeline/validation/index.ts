export { entryBytes } from './validate.js';
