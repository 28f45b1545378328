/** The bundle entry of `elasticrtc-node` (dist/node.cjs): the node runtime, never loaded by the CLI. */
export { main } from './main.js';
export { createNodeProcessContext } from './process-context.js';
