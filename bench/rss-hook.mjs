// Loaded with `node --import`: writes the process's peak resident memory (KiB) to $ELASTICRTC_RSS_FILE at exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.ELASTICRTC_RSS_FILE) writeFileSync(process.env.ELASTICRTC_RSS_FILE, String(process.resourceUsage().maxRSS));
});
