using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Search;

/// <summary>What a finished search returns: ranked hits with the reasons they ranked.</summary>
public sealed record SearchResponse
{
    [JsonPropertyName("jobId")] public required string JobId { get; init; }
    [JsonPropertyName("query")] public required string Query { get; init; }
    /// <summary>How the query was read: each phrase, what it was taken to mean, and whether it filtered or boosted.</summary>
    [JsonPropertyName("interpretation")] public IReadOnlyList<QueryReading> Interpretation { get; init; } = [];
    [JsonPropertyName("results")] public required IReadOnlyList<SearchHit> Results { get; init; }
    /// <summary>How many catalog items passed the filters (the pool the top-k was cut from).</summary>
    [JsonPropertyName("candidates")] public int Candidates { get; init; }
    [JsonPropertyName("backend")] public string? Backend { get; init; }
    /// <summary>The catalog (and model) version that computed these results; a cached answer is only served for the version runners serve now.</summary>
    [JsonPropertyName("catalogVersion")] public string? CatalogVersion { get; init; }
    [JsonPropertyName("timingsMs")] public StageTimings? TimingsMs { get; init; }
    [JsonPropertyName("completedAt")] public DateTimeOffset CompletedAt { get; init; }
    /// <summary>True when the gateway answered from a cached result instead of running the search.</summary>
    [JsonPropertyName("cached")] public bool Cached { get; init; }
    /// <summary>The item of <c>GET /api/v1/media/{id}</c>.</summary>
    [JsonPropertyName("item")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public MediaDetails? Item { get; init; }
    /// <summary>The concepts of <c>GET /api/v1/concepts</c>.</summary>
    [JsonPropertyName("concepts")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<ConceptView>? Concepts { get; init; }
    /// <summary>Request fields that name what the catalog lacks: items or concepts (the gateway answers 404), filter values (400).</summary>
    [JsonPropertyName("unknown")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<UnknownReference>? Unknown { get; init; }
}

/// <summary>
/// One phrase of the query and how it was read. <c>effect</c>: <c>filter</c> (items without it are not
/// returned), <c>boost</c> (items with it rank higher), <c>exclude</c> (items with it are not returned),
/// <c>reference</c> ("more like X"; read as "no catalog title" when X names none), <c>spelling</c> (a misspelt word read as the catalog's: "terminatr" as
/// "terminator"). <c>note</c> says when a filter was relaxed and why.
/// </summary>
public sealed record QueryReading
{
    [JsonPropertyName("phrase")] public required string Phrase { get; init; }
    [JsonPropertyName("readAs")] public required string ReadAs { get; init; }
    [JsonPropertyName("effect")] public required string Effect { get; init; }
    [JsonPropertyName("note")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Note { get; init; }
}

public sealed record SearchHit
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("title")] public required string Title { get; init; }
    [JsonPropertyName("year")] public int? Year { get; init; }
    /// <summary>Final ranking score (higher is better); see <see cref="ScoreBreakdown"/> for its parts.</summary>
    [JsonPropertyName("score")] public double Score { get; init; }
    /// <summary>Catalog fields that the query matched, e.g. "title", "genre", "director".</summary>
    [JsonPropertyName("matchedFields")] public required IReadOnlyList<string> MatchedFields { get; init; }
    [JsonPropertyName("genre")] public string? Genre { get; init; }
    [JsonPropertyName("creativeType")] public string? CreativeType { get; init; }
    [JsonPropertyName("director")] public string? Director { get; init; }
    [JsonPropertyName("mpaaRating")] public string? MpaaRating { get; init; }
    [JsonPropertyName("runtimeMinutes")] public int? RuntimeMinutes { get; init; }
    [JsonPropertyName("imdbRating")] public double? ImdbRating { get; init; }
    [JsonPropertyName("explanation")] public ScoreBreakdown? Explanation { get; init; }
}

/// <summary>The parts of <see cref="SearchHit.Score"/>, so a caller can see why an item ranked where it did.</summary>
public sealed record ScoreBreakdown
{
    [JsonPropertyName("similarity")] public double Similarity { get; init; }
    [JsonPropertyName("ontologyMatch")] public double OntologyMatch { get; init; }
    [JsonPropertyName("qualityPrior")] public double QualityPrior { get; init; }
    /// <summary>Recommendations only: nearness to the liked items less nearness to the disliked ones (−1…1).</summary>
    [JsonPropertyName("personalization")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Personalization { get; init; }
    [JsonPropertyName("reasons")] public IReadOnlyList<string> Reasons { get; init; } = [];
}

/// <summary>Per-stage wall time of one search, in milliseconds (the embed stage is shared by the batch).</summary>
public sealed record StageTimings
{
    /// <summary>Reading the query into a plan and turning its constraints into row sets.</summary>
    [JsonPropertyName("plan")] public double Plan { get; init; }
    [JsonPropertyName("embed")] public double Embed { get; init; }
    [JsonPropertyName("search")] public double Search { get; init; }
    [JsonPropertyName("enrich")] public double Enrich { get; init; }
    [JsonPropertyName("rank")] public double Rank { get; init; }
    /// <summary>Where the rank stage ran: "cuda" (the re-rank kernel, with the CUDA backend) or "cpu".</summary>
    [JsonPropertyName("rankDevice")] public string? RankDevice { get; init; }
    [JsonPropertyName("batchSize")] public int BatchSize { get; init; }
    /// <summary>
    /// From the gateway's enqueue to the engine starting on the batch: the queue wait, the runner's receive and
    /// its admission of the job (the runner sets it; the two clocks are the same machine's only when run locally).
    /// </summary>
    [JsonPropertyName("queue")] public double? Queue { get; init; }
}
