/** Demonstration data sets for behavioural cloning: written from `.bk2` movies, read back as typed arrays. */
export { writeDataset, type WriteDatasetOptions, type DatasetSummary } from './write-dataset.ts';
export { readDataset, type Dataset } from './read-dataset.ts';
export { parseWrapperList, type WrapperSpec } from './wrapper-spec.ts';
export { DATASET_FORMAT, DATASET_VERSION, type DatasetIndex, type ArrayEntry, type DatasetDtype } from './dataset-index.ts';
