namespace MediaGateway.Engine.Query;

/// <summary>What a phrase of the query did to the search.</summary>
public enum QueryEffect
{
    /// <summary>A hard constraint: items without it are not returned.</summary>
    Filter,
    /// <summary>A soft preference: items with it rank higher, others still appear.</summary>
    Boost,
    /// <summary>An exclusion: items with it are not returned.</summary>
    Exclude,
    /// <summary>"More like X": the search looks around catalog item X, which is not returned itself.</summary>
    Reference,
    /// <summary>A misspelt word read as the catalog's word ("terminatr" as "terminator"); the rest reads the corrected query.</summary>
    Spelling,
}
