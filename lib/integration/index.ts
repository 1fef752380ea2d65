/**
 * Integration discovery and loading: the `retro.data` API, the folder loader, schemas, ROM hashing and import.
 * `lib/index.ts` re-exports what users need from here.
 */

export {
  addIntegrationPath,
  getGamePath,
  getIntegration,
  getRomPath,
  listGames,
  listScenarios,
  listStates,
  type LookupOptions,
} from './data-api.ts';
export { inspectIntegration, loadIntegration, type IntegrationInspection } from './integration.ts';
export { checkSchema, schemaFile, validateDocument, type SchemaKind } from './schemas.ts';
export { formatProblem, type Problem } from './problems.ts';
export { hashRom, hashRomFile, MAX_ROM_BYTES } from './rom-hash.ts';
export { importRoms, type ImportOptions, type ImportReport, type ImportedRom, type ImportProgress } from './rom-import.ts';
export { dataDir, integrationSearchPaths, packageRoot } from './paths.ts';
export { listGameLocations, locateGame, type GameLocation } from './game-index.ts';
export { romStatus, type RomStatus } from './rom-location.ts';
export { loadSystem, systemOfGame, type SystemInfo } from './systems.ts';
export type * from './types.ts';
