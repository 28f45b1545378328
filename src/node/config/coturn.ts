/** The TURN port coturn listens on (UDP and TCP), opened by the template when TURN is on. */
export const TURN_PORT = 3478;
/** coturn's relay ports: above the media range, opened by the template. */
export const TURN_RELAY_PORTS = { min: 57001, max: 65535 } as const;

/**
 * Peers a relay must never reach: this network and the instance metadata service behind it (RFC 1918,
 * loopback, link-local with 169.254.169.254, CGNAT, "this network"), and the IPv6 equivalents
 * (loopback, unique-local, link-local, IPv4-mapped and NAT64 forms of the same). Not `::` nor
 * `::-::ffff`: coturn then refuses every IPv4 peer (test/node/coturn.test.ts); it refuses the
 * unspecified address by itself.
 */
export const DENIED_PEER_RANGES = [
  '0.0.0.0-0.255.255.255',
  '10.0.0.0-10.255.255.255',
  '100.64.0.0-100.127.255.255',
  '127.0.0.0-127.255.255.255',
  '169.254.0.0-169.254.255.255',
  '172.16.0.0-172.31.255.255',
  '192.0.0.0-192.0.0.255',
  '192.168.0.0-192.168.255.255',
  '198.18.0.0-198.19.255.255',
  '::1',
  '::ffff:0.0.0.0-::ffff:255.255.255.255',
  '64:ff9b::-64:ff9b::ffff:ffff',
  'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
] as const;

export interface CoturnInputs {
  realm: string;
  secret: string;
  publicIp: string;
  privateIp: string;
}

type Option = readonly [name: string, value?: string | number];

/** coturn's options, in order: `name=value`, or a bare `name` for a switch (turnserver.conf syntax). */
export function coturnOptions(i: CoturnInputs): Option[] {
  return [
    ['listening-port', TURN_PORT],
    ['realm', i.realm],
    ['use-auth-secret'],
    ['static-auth-secret', i.secret],
    // Behind the EC2 1:1 NAT: advertise the public address for relays made on the private one.
    ['external-ip', `${i.publicIp}/${i.privateIp}`],
    ['min-port', TURN_RELAY_PORTS.min],
    ['max-port', TURN_RELAY_PORTS.max],
    ['fingerprint'],
    ['no-cli'],
    ['no-tls'],
    ['no-dtls'],
    ['no-multicast-peers'],
    ['no-software-attribute'],
    ['stale-nonce', 600],
    ['log-file', 'stdout'],
    ['simple-log'],
    ...DENIED_PEER_RANGES.map((r): Option => ['denied-peer-ip', r]),
  ];
}

/** turnserver.conf text: one option a line. */
export const coturnConfig = (i: CoturnInputs): string => `${coturnOptions(i).map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('\n')}\n`;
