// Facts about the whole workspace that single-file rules need: where this workspace's own servers listen.
// Gathered before rules run (CLI) or kept up to date per changed file (language server).

export interface Declaration {
  /** Workspace-relative path with forward slashes. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
}

/** A port some server in this workspace listens on. */
export interface ListeningPort extends Declaration {
  readonly port: number;
  /** Where the port comes from, for messages: "server.port", "Tomcat <Connector>", "app.listen(...)". */
  readonly origin: string;
  /** The servlet context path served on that port ('' for the root). */
  readonly contextPath: string;
}

/** A configured public base URL of this service (`app.base-url`, `SELF_URL`). */
export interface OwnBaseUrl extends Declaration {
  readonly url: string;
  readonly name: string;
}

/** A configuration property (Spring properties/YAML, .env) with the place it is declared. */
export interface Property extends Declaration {
  readonly value: string;
}

export interface WorkspaceFacts {
  readonly ports: readonly ListeningPort[];
  readonly baseUrls: readonly OwnBaseUrl[];
  readonly properties: ReadonlyMap<string, Property>;
  /** Extra host names that mean "this machine" (setting `closewait.selfCall.extraHosts`). */
  readonly extraHosts: readonly string[];
}

export const NO_FACTS: WorkspaceFacts = { ports: [], baseUrls: [], properties: new Map(), extraHosts: [] };
