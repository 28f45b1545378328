/**
 * The classes KMS 7.3.0 registers (core, elements and filters modules): their parent, constructor
 * parameters, properties, methods and events, as the kmd files declare them. Written from the kmd
 * files of Kurento/kurento 7.3.0 and checked against kurento-client 7.3.0's registered classes by
 * test/support-tests/fake-kms-catalog.test.ts. Property initial values are plausible KMS defaults,
 * not read from a running server.
 */

export type ModuleName = 'core' | 'elements' | 'filters';

/**
 * A parameter or property type, as the kmd spells it: `String`, `int`, `int64`, `boolean`,
 * `double`, `float`, a list `X[]`, a map `X<>`, a remote class, a REGISTER complex type (an
 * object) or an ENUM (a string from {@link enums}).
 */
export type TypeName = string;

export interface ParamSpec {
  name: string;
  type: TypeName;
  optional?: boolean;
  /** The kmd default of an optional constructor parameter. */
  default?: unknown;
}

export interface PropertySpec {
  name: string;
  type: TypeName;
  /** `rw` has a getter and a setter; `ro` and `final` only a getter. */
  access: 'rw' | 'ro' | 'final';
  initial?: unknown;
}

export interface ClassSpec {
  name: string;
  module: ModuleName;
  extends?: string;
  abstract?: boolean;
  constructorParams?: ParamSpec[];
  properties?: PropertySpec[];
  methods?: { name: string; params: ParamSpec[] }[];
  events?: string[];
}

export const enums: Record<string, readonly string[]> = {
  MediaType: ['AUDIO', 'DATA', 'VIDEO'],
  GstreamerDotDetails: ['SHOW_MEDIA_TYPE', 'SHOW_CAPS_DETAILS', 'SHOW_NON_DEFAULT_PARAMS', 'SHOW_STATES', 'SHOW_FULL_PARAMS', 'SHOW_ALL', 'SHOW_VERBOSE'],
  FilterType: ['AUDIO', 'AUTODETECT', 'VIDEO'],
  CertificateKeyType: ['RSA', 'ECDSA'],
  MediaProfileSpecType: ['WEBM', 'MKV', 'MP4', 'WEBM_VIDEO_ONLY', 'WEBM_AUDIO_ONLY', 'MKV_VIDEO_ONLY', 'MKV_AUDIO_ONLY', 'MP4_VIDEO_ONLY', 'MP4_AUDIO_ONLY', 'JPEG_VIDEO_ONLY', 'KURENTO_SPLIT_RECORDER', 'FLV'],
  DSCPValue: ['NO_DSCP', 'NO_VALUE', 'AUDIO_VERYLOW', 'AUDIO_LOW', 'AUDIO_MEDIUM', 'AUDIO_HIGH', 'VIDEO_VERYLOW', 'VIDEO_LOW', 'VIDEO_MEDIUM', 'VIDEO_MEDIUM_THROUGHPUT', 'VIDEO_HIGH', 'VIDEO_HIGH_THROUGHPUT', 'DATA_VERYLOW', 'DATA_LOW', 'DATA_MEDIUM', 'DATA_HIGH', 'CHROME_HIGH', 'CHROME_MEDIUM', 'CHROME_LOW', 'CHROME_VERYLOW', 'CS0', 'CS1', 'CS2', 'CS3', 'CS4', 'CS5', 'CS6', 'CS7', 'AF11', 'AF12', 'AF13', 'AF21', 'AF22', 'AF23', 'AF31', 'AF32', 'AF33', 'AF41', 'AF42', 'AF43', 'EF', 'VOICEADMIT', 'LE'],
  UriEndpointState: ['STOP', 'START', 'PAUSE'],
  MediaState: ['DISCONNECTED', 'CONNECTED'],
  ConnectionState: ['DISCONNECTED', 'CONNECTED'],
};

const p = (name: string, type: TypeName, optional = false, dflt?: unknown): ParamSpec => ({ name, type, ...(optional ? { optional } : {}), ...(dflt === undefined ? {} : { default: dflt }) });
const rw = (name: string, type: TypeName, initial?: unknown): PropertySpec => ({ name, type, access: 'rw', initial });
const ro = (name: string, type: TypeName, initial?: unknown): PropertySpec => ({ name, type, access: 'ro', initial });
const fin = (name: string, type: TypeName): PropertySpec => ({ name, type, access: 'final' });
const m = (name: string, ...params: ParamSpec[]) => ({ name, params });
const dot = p('details', 'GstreamerDotDetails', true);
const pipe = p('mediaPipeline', 'MediaPipeline');

const classList: ClassSpec[] = [
  // core
  {
    name: 'MediaObject', module: 'core', abstract: true,
    properties: [fin('mediaPipeline', 'MediaPipeline'), fin('parent', 'MediaObject'), fin('id', 'String'), ro('children', 'MediaObject[]'), rw('name', 'String'), rw('sendTagsInEvents', 'boolean', false), fin('creationTime', 'int')],
    methods: [m('addTag', p('key', 'String'), p('value', 'String')), m('removeTag', p('key', 'String')), m('getTag', p('key', 'String')), m('getTags')],
    events: ['Error'],
  },
  {
    name: 'ServerManager', module: 'core', extends: 'MediaObject', abstract: true,
    properties: [ro('info', 'ServerInfo'), ro('pipelines', 'MediaPipeline[]'), ro('sessions', 'String[]'), ro('metadata', 'String')],
    methods: [m('getKmd', p('moduleName', 'String')), m('getCpuCount'), m('getUsedCpu', p('interval', 'int')), m('getUsedMemory')],
    events: ['ObjectCreated', 'ObjectDestroyed'],
  },
  { name: 'MediaPipeline', module: 'core', extends: 'MediaObject', properties: [rw('latencyStats', 'boolean', false)], methods: [m('getGstreamerDot', dot), m('dumpGstreamerDot', dot)] },
  {
    name: 'MediaElement', module: 'core', extends: 'MediaObject', abstract: true,
    properties: [rw('encoderBitrate', 'int', 300000), rw('minEncoderBitrate', 'int', 0), rw('maxEncoderBitrate', 'int', 0)],
    methods: [
      m('getSourceConnections', p('mediaType', 'MediaType', true), p('description', 'String', true)),
      m('getSinkConnections', p('mediaType', 'MediaType', true), p('description', 'String', true)),
      m('connect', p('sink', 'MediaElement'), p('mediaType', 'MediaType', true), p('sourceMediaDescription', 'String', true), p('sinkMediaDescription', 'String', true)),
      m('disconnect', p('sink', 'MediaElement'), p('mediaType', 'MediaType', true), p('sourceMediaDescription', 'String', true), p('sinkMediaDescription', 'String', true)),
      m('setAudioFormat', p('caps', 'AudioCaps')),
      m('setVideoFormat', p('caps', 'VideoCaps')),
      m('dumpGstreamerDot', dot),
      m('getGstreamerDot', dot),
      m('getStats', p('mediaType', 'MediaType', true)),
      m('isMediaFlowingIn', p('mediaType', 'MediaType'), p('sinkMediaDescription', 'String', true)),
      m('isMediaFlowingOut', p('mediaType', 'MediaType'), p('sourceMediaDescription', 'String', true)),
      m('isMediaTranscoding', p('mediaType', 'MediaType'), p('binName', 'String', true)),
    ],
    events: ['ElementConnected', 'ElementDisconnected', 'MediaFlowOutStateChanged', 'MediaFlowInStateChanged', 'MediaTranscodingStateChanged'],
  },
  { name: 'Hub', module: 'core', extends: 'MediaObject', abstract: true, methods: [m('getGstreamerDot', dot), m('dumpGstreamerDot', dot)] },
  { name: 'HubPort', module: 'core', extends: 'MediaElement', constructorParams: [p('hub', 'Hub')] },
  { name: 'PassThrough', module: 'core', extends: 'MediaElement', constructorParams: [pipe] },
  { name: 'Filter', module: 'core', extends: 'MediaElement', abstract: true },
  { name: 'Endpoint', module: 'core', extends: 'MediaElement', abstract: true },
  { name: 'SessionEndpoint', module: 'core', extends: 'Endpoint', abstract: true, events: ['MediaSessionTerminated', 'MediaSessionStarted'] },
  {
    name: 'UriEndpoint', module: 'core', extends: 'Endpoint', abstract: true,
    properties: [fin('uri', 'String'), ro('state', 'UriEndpointState', 'STOP')],
    methods: [m('pause'), m('stop')],
    events: ['UriEndpointStateChanged'],
  },
  {
    name: 'SdpEndpoint', module: 'core', extends: 'SessionEndpoint', abstract: true,
    properties: [rw('maxAudioRecvBandwidth', 'int', 0), rw('maxVideoRecvBandwidth', 'int', 0)],
    methods: [m('generateOffer', p('options', 'OfferOptions', true)), m('processOffer', p('offer', 'String')), m('processAnswer', p('answer', 'String')), m('getLocalSessionDescriptor'), m('getRemoteSessionDescriptor')],
  },
  {
    name: 'BaseRtpEndpoint', module: 'core', extends: 'SdpEndpoint', abstract: true,
    properties: [
      rw('minVideoRecvBandwidth', 'int', 0), rw('minVideoSendBandwidth', 'int', 100), rw('maxVideoSendBandwidth', 'int', 500),
      ro('mediaState', 'MediaState', 'DISCONNECTED'), ro('connectionState', 'ConnectionState', 'DISCONNECTED'), rw('mtu', 'int', 1200),
      rw('rembParams', 'RembParams', { __module__: 'kurento', __type__: 'RembParams', packetsRecvIntervalTop: 100, exponentialFactor: 0.04, linealFactorMin: 50000, linealFactorGrade: 25, decrementFactor: 0.5, thresholdFactor: 0.8, upLosses: 12, rembOnConnect: 300000 }),
    ],
    methods: [m('requestKeyframe')],
    events: ['MediaStateChanged', 'ConnectionStateChanged'],
  },
  // elements
  { name: 'AlphaBlending', module: 'elements', extends: 'Hub', constructorParams: [pipe], methods: [m('setMaster', p('source', 'HubPort'), p('zOrder', 'int')), m('setPortProperties', p('relativeX', 'float'), p('relativeY', 'float'), p('zOrder', 'int'), p('relativeWidth', 'float'), p('relativeHeight', 'float'), p('port', 'HubPort'))] },
  { name: 'Composite', module: 'elements', extends: 'Hub', constructorParams: [pipe, p('width', 'int', true, 800), p('height', 'int', true, 600), p('framerate', 'int', true, 15)] },
  { name: 'Dispatcher', module: 'elements', extends: 'Hub', constructorParams: [pipe], methods: [m('connect', p('source', 'HubPort'), p('sink', 'HubPort'))] },
  { name: 'DispatcherOneToMany', module: 'elements', extends: 'Hub', constructorParams: [pipe], methods: [m('setSource', p('source', 'HubPort')), m('removeSource')] },
  { name: 'Mixer', module: 'elements', extends: 'Hub', constructorParams: [pipe], methods: [m('connect', p('media', 'MediaType'), p('source', 'HubPort'), p('sink', 'HubPort')), m('disconnect', p('media', 'MediaType'), p('source', 'HubPort'), p('sink', 'HubPort'))] },
  { name: 'HttpEndpoint', module: 'elements', extends: 'SessionEndpoint', abstract: true, methods: [m('getUrl')] },
  { name: 'HttpPostEndpoint', module: 'elements', extends: 'HttpEndpoint', constructorParams: [pipe, p('disconnectionTimeout', 'int', true, 2), p('useEncodedMedia', 'boolean', true, false)], events: ['EndOfStream'] },
  {
    name: 'PlayerEndpoint', module: 'elements', extends: 'UriEndpoint',
    constructorParams: [pipe, p('uri', 'String'), p('useEncodedMedia', 'boolean', true, false), p('networkCache', 'int', true, 2000)],
    properties: [ro('videoInfo', 'VideoInfo', { __module__: 'kurento', __type__: 'VideoInfo', isSeekable: false, seekableInit: 0, seekableEnd: 0, duration: 0 }), ro('elementGstreamerDot', 'String', 'digraph player {}'), rw('position', 'int64', 0)],
    methods: [m('play')],
    events: ['EndOfStream'],
  },
  {
    name: 'RecorderEndpoint', module: 'elements', extends: 'UriEndpoint',
    constructorParams: [pipe, p('uri', 'String'), p('mediaProfile', 'MediaProfileSpecType', true, 'WEBM'), p('stopOnEndOfStream', 'boolean', true, false)],
    methods: [m('record'), m('stopAndWait')],
    events: ['Recording', 'Paused', 'Stopped'],
  },
  { name: 'RtpEndpoint', module: 'elements', extends: 'BaseRtpEndpoint', constructorParams: [pipe, p('crypto', 'SDES', true, {}), p('useIpv6', 'boolean', true, false)], events: ['OnKeySoftLimit'] },
  {
    name: 'WebRtcEndpoint', module: 'elements', extends: 'BaseRtpEndpoint',
    constructorParams: [pipe, p('recvonly', 'boolean', true, false), p('sendonly', 'boolean', true, false), p('useDataChannels', 'boolean', true, false), p('certificateKeyType', 'CertificateKeyType', true, 'RSA'), p('qosDscp', 'DSCPValue', true, 'NO_VALUE')],
    properties: [
      rw('networkInterfaces', 'String', ''), rw('iceTcp', 'boolean', true), rw('stunServerAddress', 'String', ''), rw('stunServerPort', 'int', 3478), rw('turnUrl', 'String', ''),
      rw('externalIPv4', 'String', ''), rw('externalIPv6', 'String', ''), ro('ICECandidatePairs', 'IceCandidatePair[]', []), ro('IceConnectionState', 'IceConnection[]', []), ro('DtlsConnectionState', 'DtlsConnection[]', []),
    ],
    methods: [
      m('gatherCandidates'),
      m('addIceCandidate', p('candidate', 'IceCandidate')),
      m('createDataChannel', p('label', 'String', true), p('ordered', 'boolean', true), p('maxPacketLifeTime', 'int', true), p('maxRetransmits', 'int', true), p('protocol', 'String', true)),
      m('closeDataChannel', p('channelId', 'int')),
    ],
    events: ['IceCandidateFound', 'IceGatheringDone', 'IceComponentStateChanged', 'DtlsConnectionStateChange', 'DataChannelOpened', 'DataChannelClosed', 'NewCandidatePairSelected'],
  },
  // filters
  { name: 'OpenCVFilter', module: 'filters', extends: 'Filter', abstract: true },
  { name: 'FaceOverlayFilter', module: 'filters', extends: 'Filter', constructorParams: [pipe], methods: [m('unsetOverlayedImage'), m('setOverlayedImage', p('uri', 'String'), p('offsetXPercent', 'float'), p('offsetYPercent', 'float'), p('widthPercent', 'float'), p('heightPercent', 'float'))] },
  { name: 'GStreamerFilter', module: 'filters', extends: 'Filter', constructorParams: [pipe, p('command', 'String'), p('filterType', 'FilterType', true, 'AUTODETECT')], properties: [ro('command', 'String')], methods: [m('setElementProperty', p('propertyName', 'String'), p('propertyValue', 'String'))] },
  { name: 'ImageOverlayFilter', module: 'filters', extends: 'Filter', constructorParams: [pipe], methods: [m('removeImage', p('id', 'String')), m('addImage', p('id', 'String'), p('uri', 'String'), p('offsetXPercent', 'float'), p('offsetYPercent', 'float'), p('widthPercent', 'float'), p('heightPercent', 'float'), p('keepAspectRatio', 'boolean'), p('center', 'boolean'))] },
  { name: 'ZBarFilter', module: 'filters', extends: 'Filter', constructorParams: [pipe], events: ['CodeFound'] },
];

export const classes: ReadonlyMap<string, ClassSpec> = new Map(classList.map((c) => [c.name, c]));

/** The class and its ancestors, nearest first. */
export function lineage(name: string): ClassSpec[] {
  const out: ClassSpec[] = [];
  for (let c = classes.get(name); c; c = c.extends ? classes.get(c.extends) : undefined) out.push(c);
  return out;
}

/** `module.prefix.Type` as ids, `qualifiedType` and `hierarchy` write it: the three built-in modules are all `kurento`. */
export const qualified = (name: string): string => `kurento.${name}`;

/** `getHierarchy()`: the qualified ancestors, nearest first (MediaPipeline: `["kurento.MediaObject"]`). */
export const hierarchy = (name: string): string[] => lineage(name).slice(1).map((c) => qualified(c.name));

export const isA = (name: string, ancestor: string): boolean => lineage(name).some((c) => c.name === ancestor);

/** Every event the class (or an ancestor) can raise. */
export const eventsOf = (name: string): string[] => lineage(name).flatMap((c) => c.events ?? []);

/** Non-abstract classes by module: the factories `getInfo` lists (sorted, as KMS's std::map keeps them). */
export function factories(module: ModuleName): string[] {
  return classList.filter((c) => c.module === module && !c.abstract).map((c) => c.name).sort();
}

/** Events that extend `Media` carry `data.type` = the event name; these three extend `RaiseBase` directly. */
export const raiseBaseEvents = new Set(['Error', 'ObjectCreated', 'ObjectDestroyed']);
