export { MleCommand, type MleFlags, type MleArgs } from './mle-command.js';
export { Progress } from './progress.js';
