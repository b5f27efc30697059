// The parts of undici the action uses, imported from undici's own files rather than its root, which
// loads fetch, WebSocket, caches and more at start-up: 25 ms and 7 MB on Node 24, and 500 KB of
// bundle (docs/BENCHMARKS.md). undici 6 has no exports map, so these are its published files;
// package.json pins the version, and the end-to-end tests go through each of them.
import type { Agent as AgentType, EnvHttpProxyAgent as EnvHttpProxyAgentType } from 'undici';
import api from 'undici/lib/api/index.js';
import AgentModule from 'undici/lib/dispatcher/agent.js';
import DispatcherModule from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgentModule from 'undici/lib/dispatcher/env-http-proxy-agent.js';

// As undici's root does: every dispatcher gets request(), and connect(), which ProxyAgent tunnels with.
Object.assign((DispatcherModule as { prototype: object }).prototype, api);

export type { Dispatcher } from 'undici';
export const Agent = AgentModule as typeof AgentType;
export const EnvHttpProxyAgent = EnvHttpProxyAgentModule as typeof EnvHttpProxyAgentType;
