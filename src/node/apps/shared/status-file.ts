import { writeFileAtomic } from '../kvs-relay/atomic-file.js';

/** A status file rewritten (atomically, 0644) after changes; writes are coalesced, never concurrent. */
export interface StatusFile {
  /** Something changed: the file is rewritten soon with the status of then. */
  changed(): void;
  /** Resolves once the file holds the latest status. */
  flushed(): Promise<void>;
}

/** `path` empty: no file (the status stays in memory). A failed write is logged once. */
export function statusFile(path: string, status: () => unknown, log: (line: string) => void): StatusFile {
  let writing: Promise<void> = Promise.resolve();
  let dirty = false;
  let warned = false;
  return {
    changed() {
      if (path === '' || dirty) return;
      dirty = true;
      writing = writing.then(async () => {
        dirty = false;
        try {
          await writeFileAtomic(path, `${JSON.stringify(status(), null, 2)}\n`, 0o644);
        } catch (error) {
          if (!warned) log(`status file ${path} not written: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
          warned = true;
        }
      });
    },
    flushed: () => writing,
  };
}
