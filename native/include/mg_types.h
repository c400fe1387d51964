/*
 * Structs that cross the C# <-> CUDA boundary. The C# mirrors live in
 * gpu-runner/MediaGateway.Engine/Kernels/Cuda/NativeTypes.cs; a test compiles a probe against this
 * header with gcc and checks every size and offset against the C# layout, so change both together.
 *
 * Plain C, no includes: it must compile under gcc, clang -nocudainc and NVRTC (which has no libc
 * headers). Only int, float and unsigned long long are used; their sizes are the same on every
 * target we build for (LP64 host, NVPTX device). Device addresses travel as unsigned long long
 * (CUdeviceptr) so the structs are the same on both sides.
 */
#ifndef MG_TYPES_H
#define MG_TYPES_H

typedef unsigned long long mg_devptr;

/* A catalog row and its inner product with the query; row < 0 marks an empty slot. */
typedef struct mg_scored_row {
    int row;
    float score;
} mg_scored_row;

/* One similarity + top-k launch (stream or tensor-core kernel) over a slice of the catalog. */
typedef struct mg_search_params {
    mg_devptr catalog;        /* const half[rows][dim]: the catalog slice, fp16, row-major */
    mg_devptr queries_f32;    /* const float[query_count][dim]: queries for the stream kernel */
    mg_devptr queries_f16;    /* const half[query_count][dim]: queries for the tensor-core kernel */
    mg_devptr filter_words;   /* const u64[filter_count][words_per_filter] or 0: one bit per catalog row */
    mg_devptr query_filter;   /* const int[query_count] or 0: filter index per query, -1 = all rows */
    mg_devptr out;            /* mg_scored_row[query_count][slab_count][k]: per-slab top-k, best first */
    int rows;                 /* rows in this slice */
    int row_offset;           /* global row id of the slice's first row (filters and results use global ids) */
    int dim;                  /* vector length; a multiple of 16 for the tensor-core kernel */
    int query_count;
    int k;                    /* results kept per query and slab, 1..MG_MAX_K */
    int k_pow2;               /* k rounded up to a power of two (the width of the running lists) */
    int rows_per_slab;        /* rows scanned by one block */
    int slab_count;           /* ceil(rows / rows_per_slab) */
    int words_per_filter;     /* uint64 words in one filter bitset */
    int reserved;             /* keeps the size a multiple of 8 */
} mg_search_params;

/* Merges per-slab lists: each query's in_per_query candidates become out_segments lists of k. */
typedef struct mg_merge_params {
    mg_devptr in;             /* const mg_scored_row[query_count][in_per_query] */
    mg_devptr out;            /* mg_scored_row[query_count][out_segments][k] */
    int query_count;
    int in_per_query;
    int k;
    int k_pow2;
    int out_segments;
    int reserved;
} mg_merge_params;

/* The ranking weights; the same four as C# Ranking.ScoringWeights. */
typedef struct mg_scoring_weights {
    float similarity;
    float ontology_match;
    float quality_prior;
    float personalization;
} mg_scoring_weights;

/* One candidate to re-rank: its similarity and the per-item signals the formula combines. */
typedef struct mg_rerank_candidate {
    int row;
    float similarity;
    float ontology_match;
    float imdb_rating;
    float imdb_votes;
    float personalization;
} mg_rerank_candidate;

typedef struct mg_rerank_params {
    mg_devptr candidates;     /* const mg_rerank_candidate[count] */
    mg_devptr out_scores;     /* float[count] */
    int count;
    int reserved;
    mg_scoring_weights weights;
} mg_rerank_params;

/* Row-wise vector work: L2 normalisation in place, or fp32 -> fp16 conversion into dst. */
typedef struct mg_rows_params {
    mg_devptr src;            /* float[rows][dim] */
    mg_devptr dst;            /* half[rows][dim] (conversion only) */
    int rows;
    int dim;
} mg_rows_params;

/* Largest k the kernels accept: running lists are k_pow2 wide and live in shared memory. */
#define MG_MAX_K 1024

#endif /* MG_TYPES_H */
