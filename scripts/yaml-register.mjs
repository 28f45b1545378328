// `node --import ./scripts/yaml-register.mjs`: lets Node load `templates/*.yaml` imports as modules (as the
// build and vitest do), for scripts run from source such as the benchmarks.
import { register } from 'node:module';

register('./yaml-hooks.mjs', import.meta.url);
