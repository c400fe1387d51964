using System.Runtime.InteropServices;

namespace MediaGateway.Engine.Kernels.Cuda;

// C# mirrors of native/include/mg_types.h. Field order, types and sizes must match the C header
// exactly: these structs are passed by value as kernel parameters and copied to and from device
// memory. NativeLayoutTests compiles a probe of the header with gcc and compares every size and offset.
// Device addresses are ulong (CUdeviceptr), as in the header.

/// <summary>mg_scored_row: a catalog row and its score; Row &lt; 0 marks an empty slot.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NativeScoredRow
{
    public int Row;
    public float Score;
}

/// <summary>mg_search_params: one stream or tensor-core top-k launch over a catalog slice.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NativeSearchParams
{
    public ulong Catalog;
    public ulong QueriesF32;
    public ulong QueriesF16;
    public ulong FilterWords;
    public ulong QueryFilter;
    public ulong Out;
    public int Rows;
    public int RowOffset;
    public int Dim;
    public int QueryCount;
    public int K;
    public int KPow2;
    public int RowsPerSlab;
    public int SlabCount;
    public int WordsPerFilter;
    public int Reserved;
}

/// <summary>mg_merge_params: reduce each query's candidates to OutSegments lists of K.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NativeMergeParams
{
    public ulong In;
    public ulong Out;
    public int QueryCount;
    public int InPerQuery;
    public int K;
    public int KPow2;
    public int OutSegments;
    public int Reserved;
}

/// <summary>mg_scoring_weights: the four ranking weights, as in Ranking.ScoringWeights.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NativeScoringWeights
{
    public float Similarity;
    public float OntologyMatch;
    public float QualityPrior;
    public float Personalization;
}

/// <summary>mg_rerank_candidate: one candidate's similarity and ranking signals.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NativeRerankCandidate
{
    public int Row;
    public float Similarity;
    public float OntologyMatch;
    public float ImdbRating;
    public float ImdbVotes;
    public float Personalization;
}

/// <summary>mg_rerank_params.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NativeRerankParams
{
    public ulong Candidates;
    public ulong OutScores;
    public int Count;
    public int Reserved;
    public NativeScoringWeights Weights;
}

/// <summary>mg_rows_params: row-wise normalisation or fp32 → fp16 conversion.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NativeRowsParams
{
    public ulong Src;
    public ulong Dst;
    public int Rows;
    public int Dim;
}
