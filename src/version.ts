/** The tool's own version (`elasticrtc --tool-version`), injected at build time from package.json. */
export const TOOL_VERSION: string = __ELASTICRTC_VERSION__;
