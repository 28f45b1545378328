/** Templates are YAML files parsed at build time (scripts/yaml-plugin.js). */
declare module '*.yaml' {
  const value: unknown;
  export default value;
}

/** The tool's own version, injected at build time. */
declare const __ELASTICRTC_VERSION__: string;
