/**
 * Stand-ins for the programs of a kvssink build (apt-get, git, cmake, make, gst-inspect-1.0): small
 * shell scripts in a directory put first on PATH. Each records its arguments in `calls.log` and does
 * what the real one leaves behind (a source tree, a Makefile, the libraries of producer-sdk-cpp
 * v3.6.0 where its CMake files put them), so the installer's own file handling, tar and SHA-256 run
 * for real. `fail(program)` makes one fail with 30 lines on stderr.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BuildShims {
  dir: string;
  /** PATH with the stand-ins first. */
  path: string;
  /** Each call so far: `program arg arg …`. */
  calls(): string[];
  clearCalls(): void;
  fail(program: 'apt-get' | 'git' | 'cmake' | 'make' | 'gst-inspect-1.0'): void;
}

const HEADER = (dir: string) => `#!/bin/sh
name=$(basename "$0")
{ printf '%s' "$name"; for a in "$@"; do printf ' %s' "$a"; done; printf '\\n'; } >> '${dir}/calls.log'
if [ -e '${dir}'/fail-"$name" ]; then
  i=1; while [ $i -le 30 ]; do echo "$name: line $i of its errors" >&2; i=$((i+1)); done
  exit 2
fi
`;

const SCRIPTS: Record<string, (barrier: string) => string> = {
  'apt-get': () => `[ "$DEBIAN_FRONTEND" = noninteractive ] || { echo "apt-get: DEBIAN_FRONTEND is not noninteractive: it would prompt" >&2; exit 1; }
exit 0
`,
  git: () => `[ "$GIT_TERMINAL_PROMPT" = 0 ] || { echo "git: it could prompt for credentials" >&2; exit 1; }
for a in "$@"; do dest=$a; done
mkdir -p "$dest" && echo 'project(KinesisVideoProducerCpp VERSION 3.6.0)' > "$dest/CMakeLists.txt"
`,
  cmake: () => `while [ $# -gt 0 ]; do case $1 in -S) src=$2; shift;; -B) build=$2; shift;; esac; shift; done
[ -f "$src/CMakeLists.txt" ] || { echo "CMake Error: The source directory \\"$src\\" does not appear to contain CMakeLists.txt." >&2; exit 1; }
mkdir -p "$build" && echo 'gstkvssink:' > "$build/Makefile"
`,
  // The libraries where CMake puts them: kvssink and the C++ SDK in the build tree, producer-c (with
  // its version links) and PIC in the binary directories of their add_subdirectory calls.
  make: (barrier) => `while [ $# -gt 0 ]; do case $1 in -C) build=$2; shift;; esac; shift; done
[ -f "$build/Makefile" ] || { echo "make: *** No targets specified and no makefile found.  Stop." >&2; exit 2; }
if [ -d '${barrier}' ]; then
  touch '${barrier}'/$$
  n=0; while [ "$(ls '${barrier}' | wc -l)" -lt 2 ]; do n=$((n+1)); [ $n -gt 400 ] && { echo "make: the other builder never came" >&2; exit 3; }; sleep 0.05; done
fi
mk() { mkdir -p "$(dirname "$1")"; echo "ELF stand-in for $(basename "$1") $$" > "$1"; }
mk "$build/libgstkvssink.so"
mk "$build/libKinesisVideoProducer.so"
mk "$build/CMakeFiles/gstkvssink.dir/src/gstreamer/gstkvssink.cpp.o"
c="$build/dependency/libkvscproducer/kvscproducer-src"
for l in cproducer kvsCommonCurl; do mk "$c/lib$l.so.1.6.1"; ln -s "lib$l.so.1.6.1" "$c/lib$l.so.1"; ln -s "lib$l.so.1" "$c/lib$l.so"; done
p="$c/dependency/libkvspic/kvspic-src"
for l in kvspic kvspicUtils kvspicClient kvspicState; do mk "$p/lib$l.so"; done
`,
  // Loads "kvssink" as GStreamer would: from the first GST_PLUGIN_PATH entry, its libraries on LD_LIBRARY_PATH.
  'gst-inspect-1.0': () => `first=\${GST_PLUGIN_PATH%%:*}
[ -z "$AWS_ACCESS_KEY_ID" ] || { echo "kvssink would take AWS_ACCESS_KEY_ID before its credential file" >&2; exit 1; }
case ":$LD_LIBRARY_PATH:" in *":$first:"*) ;; *) echo "LD_LIBRARY_PATH lacks $first" >&2; exit 1;; esac
[ -f "$first/libgstkvssink.so" ] && [ -e "$first/libcproducer.so.1" ] && [ -e "$first/libkvspic.so" ] || { echo "No such element or plugin 'kvssink'" >&2; exit 1; }
echo "Factory Details: kvssink"
`,
};

/** Writes the stand-ins into `dir`; with `barrier` (a directory), make waits there until two builds have reached it. */
export function buildShims(dir: string, inheritedPath: string, barrier = join(dir, 'no-barrier')): BuildShims {
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(SCRIPTS)) {
    writeFileSync(join(dir, name), HEADER(dir) + body(barrier));
    chmodSync(join(dir, name), 0o755);
  }
  const log = join(dir, 'calls.log');
  return {
    dir,
    path: `${dir}:${inheritedPath}`,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    clearCalls: () => writeFileSync(log, ''),
    fail: (program) => writeFileSync(join(dir, `fail-${program}`), ''),
  };
}
