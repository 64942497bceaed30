export { rulerModule } from './module.js';
