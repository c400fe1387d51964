namespace MediaGateway.Engine.Query;

/// <summary>
/// Collects what the planner's rules read, each thing once: a constraint, preference, concept or reading that
/// is already there is not added again, and the counts are capped (<see cref="QueryPlanner.MaxConstraints"/>…),
/// so "80s " × 128 reads as one decade, not 128.
/// </summary>
internal sealed class PlanBuilder
{
    private readonly List<(int Start, int End, bool Embedded)> _structural = [];
    private readonly List<(int Start, int End)> _titles = [];

    public List<HardConstraint> Constraints { get; } = [];
    public List<Preference> Preferences { get; } = [];
    public List<ConceptMatch> Concepts { get; } = [];
    public List<Reading> Readings { get; } = [];
    public int? ReferenceRow { get; set; }
    public List<int> LikedRows { get; } = [];
    public List<int> DislikedRows { get; } = [];
    public List<MediaGateway.Contracts.Search.UnknownReference> Unknown { get; } = [];
    /// <summary>Set by a discovery request whose query vector is not the query's text (see <see cref="PlannedQuery.EmbedText"/>).</summary>
    public bool TextIsNotTheQuery { get; set; }
    public string? EmbedText { get; set; }

    /// <summary>Adds a hard constraint (and, unless <paramref name="reading"/> is false, its reading).</summary>
    public void Filter(IConstraint constraint, string phrase, ConstraintOrigin origin, string? readAs = null, QueryEffect effect = QueryEffect.Filter, bool reading = true,
        string? note = null)
    {
        if (origin == ConstraintOrigin.Numeric && constraint is RangeConstraint range && JoinDisjoint(range, phrase)) return;
        var description = constraint.Describe();
        if (Constraints.Count >= QueryPlanner.MaxConstraints || Constraints.Any(c => c.Constraint.Describe() == description)) return;
        Constraints.Add(new HardConstraint(constraint, phrase, origin));
        if (reading) Read(new Reading(phrase, readAs ?? description, effect, note));
    }

    /// <summary>
    /// A range of the query's words that no item can share with one read before ("horror from the 80s or 90s", "westerns
    /// from the 1950s and 1960s") asks for either, not both: the two become one constraint, a single range where they meet
    /// (1980–1999) and otherwise either range. True when <paramref name="range"/> was joined so.
    /// </summary>
    private bool JoinDisjoint(RangeConstraint range, string phrase)
    {
        var i = Constraints.FindIndex(c => c is { Origin: ConstraintOrigin.Numeric, Constraint: RangeConstraint other }
            && other.Attribute == range.Attribute && Disjoint(other, range));
        if (i < 0) return false;
        var earlier = Constraints[i];
        var first = (RangeConstraint)earlier.Constraint;
        var (low, high) = (first.Min ?? double.MinValue) <= (range.Min ?? double.MinValue) ? (first, range) : (range, first);
        // Whole years meet when one range ends the year before the other starts.
        IConstraint joined = high.Min <= low.Max + (range.Attribute == NumericAttribute.Year ? 1 : 0)
            ? low with { Max = high.Max }
            : new AnyConstraint([first, range]);
        var joinedPhrase = $"{earlier.Phrase} or {phrase.Trim()}";
        Readings.RemoveAll(r => r.Phrase == earlier.Phrase && r.Effect == QueryEffect.Filter);
        Constraints[i] = new HardConstraint(joined, joinedPhrase, ConstraintOrigin.Numeric);
        Read(new Reading(joinedPhrase, joined.Describe(), QueryEffect.Filter));
        return true;
    }

    private static bool Disjoint(RangeConstraint a, RangeConstraint b) => a.Max < b.Min || b.Max < a.Min;

    public void Prefer(Preference preference, string? readAs = null)
    {
        var description = preference.Constraint.Describe();
        if (Preferences.Count >= QueryPlanner.MaxPreferences || Preferences.Any(p => p.Constraint.Describe() == description)) return;
        Preferences.Add(preference);
        if (readAs is not null) Read(new Reading(preference.Phrase, readAs, QueryEffect.Boost));
    }

    public void Read(Reading reading)
    {
        if (Readings.Count < QueryPlanner.MaxConstraints + QueryPlanner.MaxPreferences && !Readings.Contains(reading)) Readings.Add(reading);
    }

    /// <summary>
    /// Marks a span read by a rule about the request's structure (numbers, dates, vague amounts, exclusions, the
    /// reference), which title matching then skips. Unless <paramref name="embedded"/>, the query's embedding skips it
    /// too: "under two hours" is a filter, and embedded it would pull "The Hours" forward; "not horror" embedded pulls
    /// toward horror.
    /// </summary>
    public void MarkStructural(int start, int end, bool embedded = false) => _structural.Add((start, end, embedded));

    /// <summary>The text to embed: <paramref name="normalized"/> less the structural spans that are not embedded (null when there are none).</summary>
    public string? TextWithoutStructure(string normalized)
    {
        var removed = _structural.Where(s => !s.Embedded).OrderBy(s => s.Start).ToArray();
        if (removed.Length == 0) return null;
        var text = new System.Text.StringBuilder(normalized.Length);
        var at = 0;
        foreach (var (start, end, _) in removed)
        {
            if (start > at) text.Append(normalized, at, start - at).Append(' ');
            at = Math.Max(at, end);
        }
        text.Append(normalized, at, normalized.Length - at);
        return string.Join(' ', text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Marks a span read as the start of a catalog title: its words stay content words for title matching.</summary>
    public void MarkTitle(int start, int end) => _titles.Add((start, end));

    public bool InTitle(QueryText.Token t) => _titles.Any(s => t.Start < s.End && s.Start < t.End);

    public bool Structural(QueryText.Token t) => _structural.Any(s => t.Start < s.End && s.Start < t.End);
}
