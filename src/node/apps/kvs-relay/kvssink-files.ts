/**
 * The installer's files: the plugin directory's marker, the libraries a build leaves, the atomic
 * move into place, and the SHA-256 of an archive.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, lstat, readFile, readdir, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file GStreamer loads as the kvssink element. */
export const KVSSINK_PLUGIN = 'libgstkvssink.so';
/** In the plugin directory: what is installed there (JSON), written last, moved in with the libraries. */
export const KVSSINK_MARKER = '.elasticrtc-kvssink.json';

/** The marker's content. */
export interface KvssinkMarker {
  /** producer-sdk-cpp's tag. */
  version: string;
  /** SHA-256 (hex) of the archive the libraries came from (the bucket's copy, or this node's build). */
  sha256: string;
  /** The bucket key of that archive. */
  key: string;
  source: 'bucket' | 'build';
  installedAt: string;
}

/** The marker of `dir`, when it has a readable one. */
export async function readMarker(dir: string): Promise<KvssinkMarker | undefined> {
  try {
    const value = JSON.parse(await readFile(join(dir, KVSSINK_MARKER), 'utf8')) as Partial<KvssinkMarker>;
    return typeof value.version === 'string' && typeof value.sha256 === 'string' ? (value as KvssinkMarker) : undefined;
  } catch {
    return undefined;
  }
}

export const writeMarker = (dir: string, marker: KvssinkMarker): Promise<void> => writeFile(join(dir, KVSSINK_MARKER), `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o644 });

export async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** SHA-256 of a file, hex. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A shared library as CMake names it: `libX.so`, `libX.so.1`, `libX.so.1.6.1`. */
const SHARED_LIBRARY = /^lib[^/]+\.so(\.\d+)*$/;

/**
 * Copies every shared library under `buildDir` (kvssink and the SDK's libraries it links, wherever
 * CMake put them: producer-c and PIC build in subdirectories) flat into `into`. Version links stay
 * links (`libcproducer.so.1 -> libcproducer.so.1.6.1`), so the loader finds each name it asks for.
 * Returns the names, sorted; throws when two libraries share a name or kvssink is not among them.
 */
export async function collectLibraries(buildDir: string, into: string): Promise<string[]> {
  const found = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if ((entry.isFile() || entry.isSymbolicLink()) && SHARED_LIBRARY.test(entry.name)) {
        const earlier = found.get(entry.name);
        if (earlier !== undefined) throw new Error(`two libraries named ${entry.name}: ${earlier} and ${path}`);
        found.set(entry.name, path);
      }
    }
  };
  await walk(buildDir);
  if (!found.has(KVSSINK_PLUGIN)) throw new Error(`the build left no ${KVSSINK_PLUGIN} under ${buildDir}`);
  for (const [name, path] of found) {
    const link = (await lstat(path)).isSymbolicLink() ? await readlink(path) : undefined;
    // A link to a name in the same directory stays a link; anything else is copied as the file it points to.
    if (link !== undefined && !link.includes('/') && found.get(link) === join(dirname(path), link)) await symlink(link, join(into, name));
    else await copyFile(path, join(into, name));
  }
  return [...found.keys()].sort();
}

/** Names of the installer's temporary entries beside the plugin directory. */
export const workPrefix = (pluginDir: string): string => `.${basename(pluginDir)}.work-`;
const oldPrefix = (pluginDir: string): string => `.${basename(pluginDir)}.old-`;

/** Removes what an interrupted run left beside the plugin directory (a build tree, a half-moved directory). */
export async function removeLeftovers(pluginDir: string): Promise<string[]> {
  const parent = dirname(pluginDir);
  const names = (await readdir(parent).catch(() => [] as string[])).filter((n) => n.startsWith(workPrefix(pluginDir)) || n.startsWith(oldPrefix(pluginDir)));
  for (const n of names) await rm(join(parent, n), { recursive: true, force: true });
  return names;
}

/**
 * Puts `staged` (a directory beside the plugin directory, so on the same file system) in place of
 * the plugin directory with renames: a reader sees the old directory or the new one, never a part.
 * An existing directory is moved aside first (a directory cannot be renamed over a non-empty one),
 * so for that moment there is none; the relay retries meanwhile.
 */
export async function moveIntoPlace(staged: string, pluginDir: string): Promise<void> {
  const aside = join(dirname(pluginDir), `${oldPrefix(pluginDir)}${randomBytes(4).toString('hex')}`);
  let moved = false;
  try {
    await rename(pluginDir, aside);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rename(staged, pluginDir);
  if (moved) await rm(aside, { recursive: true, force: true });
}
