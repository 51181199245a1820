// The configuration files that can change the workspace facts (`isConfigFile` in config-files.ts), as one glob the
// editor understands. No imports, so the thin client can use it too: it syncs these documents with the server, so
// saving one updates the facts even where the editor's file watcher is slow or silent.
export const CONFIG_FILES_GLOB =
  '**/{application*.properties,bootstrap*.properties,application*.yml,application*.yaml,bootstrap*.yml,bootstrap*.yaml,server.xml,.env,.env.*,package.json,pom.xml,build.gradle,build.gradle.kts}';

/** Sources watched besides: their facts (server classes, handlers) and the findings a scan published for them. */
export const SOURCE_FILES_GLOB = '**/{*.java,*.ts,*.tsx,*.mts,*.cts,*.js,*.mjs,*.cjs,*.jsx}';
