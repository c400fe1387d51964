using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Ontology;

namespace MediaGateway.Engine.Query;

/// <summary>How one phrase of the query was read, for the response's <c>interpretation</c>.</summary>
public sealed record Reading(string Phrase, string ReadAs, QueryEffect Effect, string? Note = null);

/// <summary>A hard constraint and the phrase it came from ("80s", or "filters.genres" for a request filter).</summary>
public sealed record HardConstraint(IConstraint Constraint, string Phrase, ConstraintOrigin Origin);

/// <summary>Where a hard constraint came from, which decides whether the planner may relax it when it leaves too few items.</summary>
public enum ConstraintOrigin
{
    /// <summary>The request's <c>filters</c>: never relaxed.</summary>
    RequestFilter,
    /// <summary>An explicit number or date in the words ("under 100 minutes"): may admit unknown values.</summary>
    Numeric,
    /// <summary>A concept named by its label ("horror"): may fall back to a boost.</summary>
    Concept,
    /// <summary>An exclusion or the reference itself: never relaxed.</summary>
    Exclusion,
}

/// <summary>
/// A soft preference: items satisfying <see cref="Constraint"/> gain up to <see cref="Weight"/> in the
/// ontology term of the ranking. For a concept, how much depends on how the item carries it (exact &gt;
/// narrower &gt; related).
/// </summary>
public sealed record Preference(IConstraint Constraint, string Phrase, double Weight);

/// <summary>A concept the query names, the phrase it came from, and whether it was found by label or by meaning.</summary>
public sealed record ConceptMatch(string Phrase, Concept Concept, double Weight, bool ByLabel);

/// <summary>
/// A request analysed once into what search, enrichment, ranking and explanation all consume: the text to
/// embed, hard constraints, soft preferences, the concepts named, a reference item, and how each phrase was
/// read. Built by <see cref="QueryPlanner"/>.
/// </summary>
public sealed record PlannedQuery
{
    public required string Text { get; init; }
    /// <summary>Lower-cased and accent-folded.</summary>
    public required string Normalized { get; init; }
    /// <summary>Words no rule consumed, less stop words: what title matching uses.</summary>
    public IReadOnlyList<string> ContentWords { get; init; } = [];
    /// <summary>
    /// No rule read anything but title words (and spelling): the query is its words ("terminator movies"), so a single one
    /// shared with a title may name it. Where rules read more ("sad movies that make you cry"), one shared word is a title
    /// only when it is the whole title.
    /// </summary>
    public bool OnlyWords { get; init; }
    public IReadOnlyList<HardConstraint> Constraints { get; init; } = [];
    public IReadOnlyList<Preference> Preferences { get; init; } = [];
    public IReadOnlyList<ConceptMatch> Concepts { get; init; } = [];
    /// <summary>The catalog row of "more like X", if any.</summary>
    public int? ReferenceRow { get; init; }
    public IReadOnlyList<Reading> Interpretation { get; init; } = [];
    /// <summary>Runs of words no rule read, which the planner compares with concept labels by embedding.</summary>
    public IReadOnlyList<string> UnreadPhrases { get; init; } = [];
    public int Limit { get; init; } = 10;
    /// <summary>
    /// The text whose embedding is the query vector: the query itself, or for recommendations from concepts
    /// alone their labels. Null when the vector comes from catalog rows (similar items, liked items).
    /// </summary>
    public string? EmbedText { get; init; }
    /// <summary>Recommendations: the rows of the items the caller liked and disliked (the personalisation term's input).</summary>
    public IReadOnlyList<int> LikedRows { get; init; } = [];
    public IReadOnlyList<int> DislikedRows { get; init; } = [];
    /// <summary>Request fields naming items or concepts the catalog does not have: nothing is searched, the caller gets 404.</summary>
    public IReadOnlyList<UnknownReference> Unknown { get; init; } = [];
    /// <summary>True when the ranking's personalisation term applies (the caller liked or disliked something).</summary>
    public bool Personalized => LikedRows.Count > 0 || DislikedRows.Count > 0;

    /// <summary>The exclusions among <see cref="Constraints"/>.</summary>
    public IEnumerable<IConstraint> Exclusions => Constraints.Where(c => c.Constraint is NotConstraint).Select(c => c.Constraint);
}
