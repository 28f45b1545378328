/**
 * The relay pipeline of one camera, as `gst-launch-1.0` arguments: RTSP over TCP, the H.264 payload
 * taken out of RTP and parsed, never decoded, into the sink. Pure.
 *
 * gst-launch joins its arguments with spaces and parses the result (gst_parse_launchv): a property
 * value in double quotes is taken whole (`!`, `;`, `@` and spaces included) once its `\` and `"` are
 * escaped; so every value that comes from settings is quoted here.
 */

/** One camera of the relay. */
export interface RelayCamera {
  /** A short name: logs and status. */
  name: string;
  /** `rtsp://[user:password@]host[:port]/path`; may carry credentials: never logged unmasked. */
  url: string;
  /** The Kinesis video stream it feeds. */
  stream: string;
}

/** Where kvssink sends one camera. */
export interface KvsSinkOptions {
  stream: string;
  region: string;
  /** The sidecar's file (`credential-path`). */
  credentialFile: string;
}

/** A property value for gst-launch: quoted, its `\` and `"` escaped. */
export function gstValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The kvssink end. `allow-create-stream=false`: the streams belong to the cluster's stack, and the
 * role has no kinesisvideo:CreateStream. kvssink 3.6.0's properties (producer-sdk-cpp
 * src/gstreamer/gstkvssink.cpp).
 */
export function kvsSink(options: KvsSinkOptions): string[] {
  return ['kvssink', `stream-name=${gstValue(options.stream)}`, `aws-region=${gstValue(options.region)}`, `credential-path=${gstValue(options.credentialFile)}`, 'allow-create-stream=false'];
}

export interface RelayPipelineOptions {
  /** rtspsrc's jitter buffer, ms. */
  latencyMs: number;
}

/**
 * `gst-launch-1.0` arguments for one camera into `sink` (elements and properties; kvssink on a node,
 * a local sink in tests). `-e`: on SIGINT the pipeline ends its stream cleanly (EOS) before exiting.
 * The caps after rtspsrc pick the camera's H.264 video among its streams (a camera's audio stays
 * unlinked); the caps before the sink are what kvssink takes (AVC, whole access units).
 */
export function relayPipeline(camera: Pick<RelayCamera, 'url'>, sink: readonly string[], options: RelayPipelineOptions): string[] {
  return [
    '-e',
    'rtspsrc', `location=${gstValue(camera.url)}`, 'protocols=tcp', `latency=${Math.round(options.latencyMs)}`,
    '!', 'application/x-rtp,media=video,encoding-name=H264',
    '!', 'rtph264depay',
    '!', 'h264parse',
    '!', 'video/x-h264,stream-format=avc,alignment=au',
    '!', ...sink,
  ];
}

/** The characters RFC 3986 allows in a URI (percent-encoding included); anything else is refused. */
const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

/** Why `url` is not an RTSP URL the relay takes, or `undefined` when it is. Never repeats the URL. */
export function rtspUrlProblem(url: string): string | undefined {
  if (!/^rtsps?:\/\//i.test(url)) return 'expected rtsp://[user:password@]host[:port]/path';
  if (!URI_CHARS.test(url)) return 'holds characters a URL cannot (white space, quotes, backslashes…): percent-encode them';
  try {
    const parsed = new URL(url);
    if (!parsed.hostname) return 'has no host';
  } catch {
    return 'is not a URL';
  }
  return undefined;
}

/** The URL with its password replaced by `****` (what logs and status show). */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@/i, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon < 0 ? userinfo : `${userinfo.slice(0, colon)}:****`}@`;
  });
}

/** The secret strings of a camera URL: the URL itself and its password, as written and decoded. */
export function urlSecrets(url: string): string[] {
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(url)?.[1];
  const colon = userinfo?.indexOf(':') ?? -1;
  const password = userinfo !== undefined && colon >= 0 ? userinfo.slice(colon + 1) : '';
  const secrets = [url];
  if (password) {
    secrets.push(password);
    try {
      secrets.push(decodeURIComponent(password));
    } catch {
      // a malformed escape: the raw form is masked
    }
  }
  return [...new Set(secrets)].sort((a, b) => b.length - a.length);
}

/** `text` with every secret (longest first) replaced: the URL by its masked form, the rest by `****`. */
export function redact(text: string, url: string): string {
  let out = text;
  for (const secret of urlSecrets(url)) out = out.split(secret).join(secret === url ? maskUrl(url) : '****');
  return out;
}
