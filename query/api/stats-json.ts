/**
 * Loki's `stats` block (`L:pkg/logqlmodel/stats/stats.proto`, JSON tags of stats.pb.go) filled
 * from Fjord's QueryStats. Keys and their order are Loki's; counters Fjord has no counterpart
 * for are zero. Times are seconds as floats, as Grafana expects. Pure.
 */
import type { QueryStats } from '../engine/query-backend.js';

/** Loki's `stats.Cache` with every counter. */
function cache(found = 0, requested = 0): Record<string, number> {
  return {
    entriesFound: found, entriesRequested: requested, entriesStored: 0, bytesReceived: 0, bytesSent: 0,
    requests: requested, downloadTime: 0, queryLengthServed: 0,
  };
}

/** Loki's `stats.Store`, from what one source (store or ingesters) read. */
function store(s: { chunksRef: number; chunksDownloaded: number; bytes: number; lines: number; compressed: number; duplicates: number; postFilter: number; smBytes: number }) {
  return {
    totalChunksRef: s.chunksRef,
    totalChunksDownloaded: s.chunksDownloaded,
    chunksDownloadTime: 0,
    queryReferencedStructuredMetadata: false,
    queryUsedV2Engine: false,
    chunk: {
      headChunkBytes: 0,
      headChunkLines: 0,
      decompressedBytes: s.bytes,
      decompressedLines: s.lines,
      compressedBytes: s.compressed,
      totalDuplicates: s.duplicates,
      postFilterLines: s.postFilter,
      headChunkStructuredMetadataBytes: 0,
      decompressedStructuredMetadataBytes: s.smBytes,
    },
    chunkRefsFetchTime: 0,
    congestionControlLatency: 0,
    pipelineWrapperFilteredLines: 0,
    dataobj: {
      prePredicateDecompressedRows: 0, prePredicateDecompressedBytes: 0, prePredicateDecompressedStructuredMetadataBytes: 0,
      postPredicateRows: 0, postPredicateDecompressedBytes: 0, postPredicateStructuredMetadataBytes: 0, postFilterRows: 0,
      pagesScanned: 0, pagesDownloaded: 0, pagesDownloadedBytes: 0, pageBatches: 0, totalRowsAvailable: 0,
      totalPageDownloadTime: 0, wireBytesTransferred: 0,
    },
  };
}

const EMPTY_STORE = { chunksRef: 0, chunksDownloaded: 0, bytes: 0, lines: 0, compressed: 0, duplicates: 0, postFilter: 0, smBytes: 0 };

/** Loki's `stats.Result` JSON object for `s`. */
export function statsJson(s: QueryStats): Record<string, unknown> {
  const execS = s.execTimeMs / 1000;
  const perSecond = (n: number): number => (execS > 0 ? Math.trunc(n / execS) : 0);
  return {
    summary: {
      bytesProcessedPerSecond: perSecond(s.bytesProcessed),
      linesProcessedPerSecond: perSecond(s.linesProcessed),
      totalBytesProcessed: s.bytesProcessed,
      totalLinesProcessed: s.linesProcessed,
      execTime: execS,
      queueTime: s.queueTimeMs / 1000,
      subqueries: s.splits,
      totalEntriesReturned: s.entriesReturned,
      splits: s.splits,
      shards: s.shards,
      totalPostFilterLines: s.postFilterLines,
      totalStructuredMetadataBytesProcessed: s.structuredMetadataBytesProcessed,
    },
    querier: {
      store: store({
        chunksRef: s.chunksFetched,
        chunksDownloaded: s.chunksFetched - s.chunksCacheHits,
        bytes: s.bytesProcessed,
        lines: s.linesProcessed,
        compressed: s.chunkBytesFetched,
        duplicates: s.duplicates,
        postFilter: s.postFilterLines,
        smBytes: s.structuredMetadataBytesProcessed,
      }),
      querierExecTime: execS,
    },
    ingester: {
      totalReached: s.ingestersReached,
      totalChunksMatched: 0,
      totalBatches: 0,
      totalLinesSent: s.ingesterLinesSent,
      store: store(EMPTY_STORE),
    },
    cache: {
      chunk: cache(s.chunksCacheHits, s.chunksFetched),
      index: cache(s.indexCacheHits, s.indexBundlesRead),
      result: cache(s.resultsCacheHits, s.resultsCacheHits + s.resultsCacheMisses),
      statsResult: cache(),
      volumeResult: cache(),
      seriesResult: cache(),
      labelResult: cache(),
      instantMetricResult: cache(),
      logResult: cache(),
      taskResult: cache(),
    },
    index: {
      totalChunks: s.chunksFetched,
      postFilterChunks: s.chunksFetched,
      shardsDuration: 0,
      usedBloomFilters: false,
      totalStreams: 0,
      chunkRefsLookupTime: 0,
      bloomFilterTime: 0,
    },
  };
}
