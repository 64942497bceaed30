export { LabelCache, parseStreamLabels, type StreamLabels } from './stream-labels.js';
export { entryBytes } from './validate.js';
