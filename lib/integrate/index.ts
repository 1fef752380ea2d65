/**
 * The integration builder's engine: RAM search and watch list, writes into an integration folder that stay valid,
 * new folders for unknown ROMs, and a live preview of draft reward and done rules. Plain classes and functions with
 * JSON-serialisable results, for `retro integrate` and the page built on it.
 */
export { RamSearch, ramViewOf, SEARCH_COMPARISONS, type RamView, type RamSearchOptions, type RamSearchStatus, type SearchComparison, type SearchFilter, type Candidate } from './ram-search.ts';
export { SEARCH_TYPES, isSearchType, type SearchType } from './search-types.ts';
export { WatchList, type AddressReader, type WatchEntry, type WatchValue } from './watch-list.ts';
export { addVariable, removeVariable, writeScenario, saveStartState, type SaveStartStateOptions } from './integration-writer.ts';
export { createIntegration, defaultIntegrationName, type NewIntegration, type NewIntegrationOptions } from './new-integration.ts';
export { ScenarioPreview, type PreviewResult } from './scenario-preview.ts';
export { problemsAdded } from './checked-write.ts';
