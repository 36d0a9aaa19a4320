// The core's SSH and Scaleway side: the health monitor (its sweep reads Scaleway, OpenNebula and
// every host over SSH) and the hook-log tails. compose.ts loads this module when the core starts
// or something first asks for it, so the UI's first frame does not wait for ssh2 and the
// Scaleway SDK to load (the bundle is split at that import).
export { HealthMonitor } from './health/monitor.js';
export { createHookLogService } from './health/hook-log.js';
