namespace MediaGateway.Engine.Catalog;

/// <summary>
/// What a catalog file's own release years say about which of them are misdated. A source that once stored years
/// with two digits and read them back in the wrong century (the demo catalog turned 1925 into 2025 and 1946 into
/// 2046) leaves a thin tail of 20xx years after the last year its body of releases reaches, separated from that body
/// by empty years. Judged on the file, not on today's date, the same file imports the same items (and ids) in any year.
/// </summary>
public static class ReleaseYearEvidence
{
    /// <summary>Fewer dated records than this say nothing about where the body ends.</summary>
    public const int MinimumDatedRecords = 20;

    /// <summary>At least this many empty years separate the body's last year from a misdated tail.</summary>
    public const int GapYears = 3;

    /// <summary>A tail holding more than this share of the dated records is a part of the catalog, not a few errors.</summary>
    public const double MaximumTailShare = 0.05;

    /// <summary>
    /// The last year of the body of releases, when a small tail lies beyond it after a gap; null when the years show
    /// no such tail (or are too few to tell). The body starts at the median year, so the gaps between sparse early
    /// years (the silent era) never end it.
    /// </summary>
    public static int? LastYearOfBody(IEnumerable<int> years)
    {
        var sorted = years.Where(y => y >= CatalogImporter.FirstFilmYear && y <= 9999).Order().ToArray();
        if (sorted.Length < MinimumDatedRecords) return null;
        var next = (sorted.Length - 1) / 2;
        var end = sorted[next];
        while (next < sorted.Length && sorted[next] - end <= GapYears)
            end = sorted[next++];
        var tail = sorted.Length - next;
        return tail > 0 && tail <= MaximumTailShare * sorted.Length ? end : null;
    }
}
