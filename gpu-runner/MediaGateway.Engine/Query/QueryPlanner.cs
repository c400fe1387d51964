using System.Text.RegularExpressions;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Engine.Query;

/// <summary>
/// Reads a request once into a <see cref="PlannedQuery"/>. Rules run in a fixed order and each marks the words
/// it read, so no phrase is read twice: request filters; "more like X"; exclusions ("not horror"); explicit
/// numbers and dates (ratings, money, runtimes, years, decades); directors; vague words ("acclaimed", "new",
/// "expensive"); then concepts by label; the words left over are later matched to concepts by embedding
/// (<see cref="ResolvePhrases"/>). The thresholds of vague words are in <c>QueryPlanner.Rules.cs</c> and
/// docs/ontology.md. Explicit constraints filter; vague ones and concepts found by meaning only boost.
/// </summary>
public sealed partial class QueryPlanner
{
    /// <summary>Bounds on what one query can ask for, so a long query cannot multiply the work (issue 9).</summary>
    public const int MaxConcepts = 8, MaxConstraints = 16, MaxPreferences = 16, MaxPhrases = 6, MaxPhraseWords = 4, MaxCorrectedWords = 8;

    /// <summary>Constraints from words are relaxed only when they leave fewer items than this (or than the limit, if smaller): a short exact answer beats a padded one.</summary>
    public const int MinimumBeforeRelaxing = 3;

    /// <summary>At most this many of a facet's catalog values are listed beside a filter value the catalog lacks.</summary>
    private const int MaxListedFilterValues = 50;

    /// <summary>A phrase maps to a concept by meaning when its embedding's cosine with one of the concept's labels reaches this.</summary>
    public const float PhraseSimilarityThreshold = 0.72f;

    /// <summary>Schemes whose concepts, named by label, filter (they stand for catalog values); moods, themes and eras only boost.</summary>
    private static readonly HashSet<string> FilteringSchemes = ["genre", "creativeType", "source", "audience", "rating", "format"];

    /// <summary>Words of grammar only (articles, prepositions, conjunctions, pronouns): they carry no subject in a request or a title.</summary>
    private static readonly HashSet<string> FunctionWords =
    [
        "a", "an", "the", "of", "and", "or", "but", "in", "on", "for", "from", "with", "to", "about", "by", "at", "as", "is", "are", "be",
        "it", "its", "s", "i", "me", "my", "we", "our", "this", "that", "these", "those", "which", "who", "where", "what",
    ];

    /// <summary>The function words and the words a request is phrased in ("movies", "show me", "good", "story").</summary>
    private static readonly HashSet<string> StopWords =
    [
        .. FunctionWords,
        "like", "more", "film", "films", "movie", "movies", "some", "something", "anything", "any",
        "want", "show", "find", "give", "please", "one", "ones", "watch", "good", "made",
        "set", "really", "very", "kind", "sort", "type",
        "story", "stories", "picture", "pictures", "flick", "flicks", "title", "titles", "recommend", "see",
    ];

    /// <summary>Words that carry no subject on their own ("the", "of", "movies"): never title hits, never content words.</summary>
    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>
    /// Words of grammar only: all a title has besides its subject words. "Good" is a request's word ("a good thriller") but
    /// a title's subject (*The Good Night* is not named by "night" alone).
    /// </summary>
    public static bool IsFunctionWord(string word) => FunctionWords.Contains(word);

    private readonly ICatalogStore _catalog;
    private readonly CatalogIndex _index;
    private readonly IOntologyStore _ontology;
    private readonly ConceptLabels _labels;
    private readonly Dictionary<string, CatalogItem> _titles = new(StringComparer.Ordinal);
    // The first 2–6 words of every title (less a leading "the"): "star wars", "lord of the rings".
    private readonly HashSet<string> _titleStarts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _directorsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _directorsBySurname = new(StringComparer.Ordinal);
    private readonly int _latestYear;
    private readonly SpellingCorrector _spelling;

    public QueryPlanner(ICatalogStore catalog, CatalogIndex index, IOntologyStore ontology, ConceptLabels labels)
    {
        (_catalog, _index, _ontology, _labels) = (catalog, index, ontology, labels);
        foreach (var item in catalog.Items)
        {
            var title = TitleKey(QueryText.Words(item.Title));
            if (!_titles.TryGetValue(title, out var same) || (item.ImdbVotes ?? 0) > (same.ImdbVotes ?? 0)) _titles[title] = item;
            var titleWords = (title.StartsWith("the ", StringComparison.Ordinal) ? title[4..] : title).Split(' ');
            for (var n = 2; n <= Math.Min(6, titleWords.Length); n++) _titleStarts.Add(string.Join(' ', titleWords.Take(n)));
            if (item.Director is { } director && QueryText.Words(director) is { Length: > 0 } name && _directorsByName.TryAdd(name, director))
            {
                var surname = name[(name.LastIndexOf(' ') + 1)..];
                if (surname.Length < 4 || surname == name) continue;
                if (!_directorsBySurname.TryGetValue(surname, out var list)) _directorsBySurname[surname] = list = [];
                list.Add(director);
            }
        }
        _latestYear = RecentYear(catalog.Items);
        _spelling = new SpellingCorrector(catalog.Items, labels.LabelTexts);
    }

    /// <summary>
    /// The year "new" and "recent" count back from: the year by which 99% of the dated catalog was released, not the
    /// latest, so a few mis-dated items (a release the importer could not tell was mis-dated) do not make "new" mean them.
    /// </summary>
    internal static int RecentYear(IEnumerable<CatalogItem> items)
    {
        var years = items.Select(i => i.Year).OfType<int>().Order().ToArray();
        return years.Length == 0 ? DateTime.UtcNow.Year : years[(int)Math.Ceiling(years.Length * 0.99) - 1];
    }

    public ConceptLabels Labels => _labels;

    public IOntologyStore Ontology => _ontology;

    public PlannedQuery Plan(SearchRequest request)
    {
        var plan = new PlanBuilder();
        var text = Spelling(new QueryText(request.Query ?? ""), plan);
        RequestFilters(request.Filters, plan);
        Discovery(request.Discovery, plan);
        Reference(text, plan);
        Exclusions(text, plan);
        ExplicitNumbers(text, plan);
        Directors(text, plan);
        Titles(text, plan);
        VagueWords(text, plan);
        ConceptsByLabel(text, plan);
        NegatedWords(text, plan);
        UnmatchedReference(text, plan);

        // Title matching uses only words no rule read: "action" in "action movies" is the genre, not a title word.
        var contentWords = text.Tokens.Where(t => (text.IsFree(t) || plan.InTitle(t)) && !StopWords.Contains(t.Value)).Select(t => SequelNumber.Canonical(t.Value)).Distinct().ToArray();
        return new PlannedQuery
        {
            Text = request.Query ?? "",
            Normalized = text.Normalized,
            ContentWords = contentWords,
            OnlyWords = plan.Readings.All(r => r.Effect == QueryEffect.Spelling || r.ReadAs == "title words"),
            Constraints = plan.Constraints,
            Preferences = plan.Preferences,
            Concepts = plan.Concepts,
            ReferenceRow = plan.ReferenceRow,
            Interpretation = plan.Readings,
            UnreadPhrases = UnreadPhrases(text),
            Limit = request.Limit ?? SearchLimits.DefaultLimit,
            EmbedText = plan.TextIsNotTheQuery ? plan.EmbedText
                : plan.TextWithoutStructure(text.Normalized) ?? (plan.Readings.Any(r => r.Effect == QueryEffect.Spelling) ? text.Normalized : request.Query ?? ""),
            LikedRows = plan.LikedRows,
            DislikedRows = plan.DislikedRows,
            Unknown = plan.Unknown,
        };
    }

    /// <summary>
    /// Every concept a label in the request's text could name (each run of words, as the label rules read them):
    /// a superset of the concepts <see cref="Plan"/> expands, so an ontology store can answer a whole batch's
    /// expansions in one call (<see cref="IOntologyStore.ExpandManyAsync"/>) before planning.
    /// </summary>
    public IEnumerable<string> ConceptIdsNamed(SearchRequest request)
    {
        var tokens = new QueryText(request.Query ?? "").Tokens;
        for (var i = 0; i < tokens.Count; i++)
        for (var n = Math.Min(_labels.MaxWords, tokens.Count - i); n >= 1; n--)
            foreach (var concept in _labels.ByLabel(string.Join(' ', tokens.Skip(i).Take(n).Select(t => t.Value))))
                yield return concept.Id;
    }

    /// <summary>
    /// Each phrase embedding's nearest concept label, or null where none is close enough: what
    /// <see cref="ResolvePhrases"/> adds, known before it so an ontology store can fetch every expansion of the batch at once.
    /// </summary>
    public PhraseMatch?[] MatchPhrases(IReadOnlyList<float[]> phraseVectors)
    {
        var matches = new PhraseMatch?[phraseVectors.Count];
        if (!_labels.HasVectors) return matches;
        for (var i = 0; i < matches.Length; i++)
            if (_labels.Nearest(phraseVectors[i]) is { Similarity: >= PhraseSimilarityThreshold } near) matches[i] = near;
        return matches;
    }

    /// <summary>
    /// Maps the plan's unread phrases to concepts by meaning: <paramref name="matches"/>[i] is what
    /// <see cref="MatchPhrases"/> found for <see cref="PlannedQuery.UnreadPhrases"/>[i]. A concept found so only boosts, by its similarity.
    /// </summary>
    public PlannedQuery ResolvePhrases(PlannedQuery plan, IReadOnlyList<PhraseMatch?> matches)
    {
        if (plan.UnreadPhrases.Count == 0 || matches.All(m => m is null)) return plan;
        var concepts = plan.Concepts.ToList();
        var preferences = plan.Preferences.ToList();
        var readings = plan.Interpretation.ToList();
        for (var i = 0; i < plan.UnreadPhrases.Count && i < matches.Count && concepts.Count < MaxConcepts; i++)
        {
            if (matches[i] is not { } near) continue;
            if (concepts.Any(c => c.Concept.Id == near.Concept.Id)) continue;
            var phrase = plan.UnreadPhrases[i];
            var weight = Math.Round(near.Similarity, 2);
            concepts.Add(new ConceptMatch(phrase, near.Concept, weight, ByLabel: false));
            var constraint = new ConceptConstraint(near.Concept, Expand(near.Concept), ConceptConstraint.Any);
            if (constraint.NamesAnything && preferences.Count < MaxPreferences) preferences.Add(new Preference(constraint, phrase, weight));
            readings.Add(new Reading(phrase, $"concept {near.Concept.PrefLabel}", QueryEffect.Boost, $"by meaning: close to \"{near.Label}\" ({weight:0.00})"));
        }
        return plan with { Concepts = concepts, Preferences = preferences, Interpretation = readings };
    }

    /// <summary>
    /// The rows the plan's hard constraints allow (null: all). When they leave fewer than
    /// <see cref="MinimumBeforeRelaxing"/> items (or the limit, if smaller), constraints from words are relaxed, in this order, and the interpretation says so: numeric
    /// constraints first admit items whose value is unknown, one at a time while that lets more in; then concept filters become boosts. Request
    /// filters and exclusions are never relaxed.
    /// </summary>
    public (PlannedQuery Plan, RowFilter? Rows) Admit(PlannedQuery plan)
    {
        if (plan.Constraints.Count == 0) return (plan, null);
        var rows = Intersect(plan.Constraints);
        var enough = Math.Min(plan.Limit, MinimumBeforeRelaxing);
        if (rows.Count() >= enough) return (plan, rows);

        var readings = plan.Interpretation.ToList();
        var relaxed = plan.Constraints.ToList();
        // One numeric constraint at a time, the one that lets in the most first, until enough match: "80s comedies under
        // 90 minutes" runs short on the runtimes the catalog lacks, not on years, so only the runtime admits unknowns.
        while (rows.Count() < enough)
        {
            var (best, bestRows) = (-1, rows);
            for (var i = 0; i < relaxed.Count; i++)
            {
                if (relaxed[i] is not { Origin: ConstraintOrigin.Numeric, Constraint: RangeConstraint { AdmitUnknown: false } range }) continue;
                var trial = relaxed.ToList();
                trial[i] = relaxed[i] with { Constraint = range with { AdmitUnknown = true } };
                var admitted = Intersect(trial);
                if (best < 0 || admitted.Count() > bestRows.Count()) (best, bestRows) = (i, admitted);
            }
            if (best < 0 || bestRows.Count() == rows.Count()) break;
            var relaxing = (RangeConstraint)relaxed[best].Constraint;
            Annotate(readings, relaxed[best].Phrase, QueryEffect.Filter, $"items with unknown {relaxing.Attribute.Name} kept: too few are known to match");
            relaxed[best] = relaxed[best] with { Constraint = relaxing with { AdmitUnknown = true } };
            rows = bestRows;
        }
        if (rows.Count() < enough && relaxed.Any(c => c.Origin == ConstraintOrigin.Concept))
        {
            var alone = relaxed.Count == 1;
            foreach (var c in relaxed.Where(c => c.Origin == ConstraintOrigin.Concept))
                Annotate(readings, c.Phrase, QueryEffect.Boost, c.Constraint.Rows(_index).Count() == 0 ? "no catalog item has it; its words steer the text search only"
                    : alone ? "too few items have it to filter; it ranks instead"
                    : "too few items have it together with the rest to filter; it ranks instead");
            relaxed = relaxed.Where(c => c.Origin != ConstraintOrigin.Concept).ToList();
            rows = Intersect(relaxed);
        }
        plan = plan with { Constraints = relaxed, Interpretation = readings };
        return (plan, relaxed.Count == 0 ? null : rows);
    }

    /// <summary>
    /// For each of the plan's first <paramref name="max"/> preferences, the admitted rows that satisfy it: the
    /// engine takes the nearest of these as extra candidates, so a soft preference ("long", "expensive") can
    /// bring forward items the query's embedding alone would not have fetched. Each comes with its preference,
    /// whose constraint a server store evaluates itself.
    /// </summary>
    public IEnumerable<(Preference Preference, RowFilter Rows)> PreferredRows(PlannedQuery plan, RowFilter? admitted, int max)
    {
        foreach (var p in plan.Preferences.Take(max))
        {
            var rows = p.Constraint.Rows(_index);
            yield return (p, admitted is null ? rows : rows.Intersect(admitted));
        }
    }

    private RowFilter Intersect(IEnumerable<HardConstraint> constraints) => RowsAdmittedBy(constraints.Select(c => c.Constraint));

    /// <summary>The rows that every one of <paramref name="constraints"/> admits (every row when there are none).</summary>
    public RowFilter RowsAdmittedBy(IEnumerable<IConstraint> constraints)
    {
        RowFilter? rows = null;
        foreach (var c in constraints)
        {
            var r = c.Rows(_index);
            rows = rows is null ? r : rows.Intersect(r);
        }
        return rows ?? RowFilter.All(_index.Rows);
    }

    private static void Annotate(List<Reading> readings, string phrase, QueryEffect effect, string note)
    {
        for (var i = 0; i < readings.Count; i++)
            if (readings[i].Phrase == phrase && readings[i].Effect == QueryEffect.Filter)
                readings[i] = readings[i] with { Effect = effect, Note = note };
    }

    private void RequestFilters(SearchFilters? f, PlanBuilder plan)
    {
        if (f is null) return;
        if (f.Genres is { } g) FacetFilter(FacetField.Genre, g, "filters.genres", plan);
        if (f.CreativeTypes is { } t) FacetFilter(FacetField.CreativeType, t, "filters.creativeTypes", plan);
        if (f.MpaaRatings is { } m) FacetFilter(FacetField.MpaaRating, m, "filters.mpaaRatings", plan);
        if (f.YearRange is [var y0, var y1]) plan.Filter(new RangeConstraint(NumericAttribute.Year, y0, y1), "filters.yearRange", ConstraintOrigin.RequestFilter);
        if (f.RuntimeRange is [var r0, var r1]) plan.Filter(new RangeConstraint(NumericAttribute.Runtime, r0, r1), "filters.runtimeRange", ConstraintOrigin.RequestFilter);
        if (f.MinRating is { } min) plan.Filter(new RangeConstraint(NumericAttribute.ImdbRating, min, null), "filters.minRating", ConstraintOrigin.RequestFilter);
    }

    /// <summary>
    /// A request filter on a facet (any of its values). A value no catalog item has is recorded as unknown, with the
    /// values the catalog does have: a typo ("Horor") would otherwise filter to nothing, or quietly narrow an "any of",
    /// and the caller could not tell why.
    /// </summary>
    private void FacetFilter(FacetField field, IReadOnlyList<string> values, string name, PlanBuilder plan)
    {
        IReadOnlyList<string>? known = null;
        for (var i = 0; i < values.Count; i++)
        {
            if (_index.Has(new FacetValue(field, values[i]))) continue;
            known ??= _index.ValuesOf(field).Select(v => v.Value).Order(StringComparer.OrdinalIgnoreCase).Take(MaxListedFilterValues).ToArray();
            plan.Unknown.Add(new UnknownReference(name, values[i], known));
        }
        plan.Filter(new FacetConstraint(field, values), name, ConstraintOrigin.RequestFilter);
    }

    /// <summary>
    /// "more like alien, but for kids", "if you liked pulp fiction", "fans of die hard": the words after the comparison up to
    /// a clause break name a catalog title, or their first two or more words do ("like die hard set in space": the rest is
    /// left to the other rules).
    /// </summary>
    private void Reference(QueryText text, PlanBuilder plan)
    {
        var m = LikePattern().Match(text.Normalized);
        if (!m.Success) return;
        var group = m.Groups["title"];
        var words = text.Tokens.Where(t => t.Start >= group.Index && t.End <= group.Index + group.Length).ToArray();
        for (var n = words.Length; n >= Math.Min(2, words.Length); n--)
        {
            var title = TitleKey(string.Join(' ', words.Take(n).Select(t => t.Value)));
            string[] candidates = [title, title.StartsWith("the ", StringComparison.Ordinal) ? title[4..] : "the " + title];
            foreach (var candidate in candidates)
            {
                if (!_titles.TryGetValue(candidate, out var item) || !_catalog.TryGetRow(item.Id, out var row)) continue;
                var end = words[n - 1].End;
                if (!text.TryConsume(m.Index, end)) return;
                var phrase = text.Normalized[m.Index..end].Trim();
                plan.MarkStructural(m.Index, end, embedded: true);
                plan.ReferenceRow = row;
                plan.Filter(new NotConstraint(new RowConstraint(item.Id, item.Title)), phrase, ConstraintOrigin.Exclusion, reading: false);
                plan.Read(new Reading(phrase, $"like {item.Title}{(item.Year is { } y ? $" ({y})" : "")}", QueryEffect.Reference));
                return;
            }
        }
    }

    /// <summary>
    /// "more like blarghfoo": a "like X" whose words name no catalog title, and that no other rule read either, is said
    /// so in the interpretation, rather than left out as if it had not been asked (the words still steer the text search).
    /// </summary>
    private void UnmatchedReference(QueryText text, PlanBuilder plan)
    {
        if (plan.ReferenceRow is not null || LikePattern().Match(text.Normalized) is not { Success: true } m) return;
        // "i'd like a movie about grief", "we would like something funny": a wish, not a comparison.
        if (m.Value.StartsWith("like", StringComparison.Ordinal)
            && text.Tokens.LastOrDefault(t => t.End <= m.Index).Value is "i" or "d" or "would" or "we" or "you" or "they" or "really" or "also" or "just" or "might" or "should") return;
        var title = m.Groups["title"];
        var words = text.Tokens.Where(t => t.Start >= title.Index && t.End <= title.Index + title.Length).ToArray();
        if (words.Length == 0 || !words.All(text.IsFree) || words.All(t => StopWords.Contains(t.Value))) return;
        plan.Read(new Reading(m.Value.Trim(), "no catalog title", QueryEffect.Reference,
            $"the catalog has no title \"{title.Value.Trim()}\"; its words steer the text search only"));
    }

    /// <summary>The query with its misspelt words corrected (<see cref="SpellingCorrector"/>), each correction read; or as it was.</summary>
    private QueryText Spelling(QueryText text, PlanBuilder plan)
    {
        var corrected = text.Normalized;
        // Only the first MaxCorrectedWords words are looked at: a long query of noise cannot multiply the work (issue 9;
        // an unknown word of eight letters or more costs about 0.8 ms on a loaded 2-core machine, most of it Lucene's automaton).
        foreach (var token in text.Tokens.Take(MaxCorrectedWords).Reverse())
        {
            if (_spelling.Correct(token.Value) is not { } word) continue;
            corrected = string.Concat(corrected.AsSpan(0, token.Start), word, corrected.AsSpan(token.End));
            plan.Read(new Reading(token.Value, $"spelled {word}", QueryEffect.Spelling));
        }
        if (ReferenceEquals(corrected, text.Normalized)) return text;
        plan.Readings.Reverse();   // in the query's order
        return new QueryText(corrected);
    }

    /// <summary>
    /// "not horror", "not a comedy", "anything but westerns", "comedies that aren't romantic", "no remakes", "not by
    /// spielberg": a negation (<see cref="NegationEnd"/>), perhaps an article or intensifier, then a concept label or a
    /// director (by full name, or by surname after "by" or "directed by"), which the results must not have.
    /// </summary>
    private void Exclusions(QueryText text, PlanBuilder plan)
    {
        var tokens = text.Tokens;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            var start = NegationEnd(text, i);
            if (start < 0) continue;
            while (start + 1 < tokens.Count && NegatedFillers.Contains(tokens[start].Value)) start++;
            if (tokens[start].Value is "directed" or "made" && start + 2 < tokens.Count && tokens[start + 1].Value == "by") start++;
            var end = ExcludedConcept(text, plan, tokens[i].Start, start);
            if (end < 0 && tokens[start].Value is "by" && start + 1 < tokens.Count) end = ExcludedDirector(text, plan, tokens[i].Start, start + 1, byWord: true);
            else if (end < 0) end = ExcludedDirector(text, plan, tokens[i].Start, start, byWord: false);
            if (end >= 0) i = end;
        }
    }

    /// <summary>Words between a negation and what it negates that change nothing: "not a comedy", "not too violent".</summary>
    private static readonly HashSet<string> NegatedFillers =
    [
        "a", "an", "the", "any", "more", "too", "so", "very", "really", "overly", "super", "much", "many", "that", "as", "all",
        // the verb of "doesn't have aliens", "isn't about war", "don't want horror": what follows is still what is negated
        "have", "has", "had", "be", "contain", "contains", "include", "includes", "feature", "features", "involve", "involves",
        "want", "need", "like",
    ];

    /// <summary>
    /// The index of the first token after a negation that begins at token <paramref name="i"/> (unread), or -1: "not", "no",
    /// "without", "except", "excluding", "nothing"; "anything but", "everything but", "other than" (two words with only a
    /// space between: "anything, but horror would be best" negates nothing; "none other than" and "nothing other than"
    /// affirm); a contraction's "n't" ("isn't", "aren't", "don't": the apostrophe splits it into "aren" and "t").
    /// </summary>
    private static int NegationEnd(QueryText text, int i)
    {
        var tokens = text.Tokens;
        if (!text.IsFree(tokens[i]) || i + 1 >= tokens.Count) return -1;
        var next = tokens[i + 1].Value;
        var gap = text.Normalized.AsSpan(tokens[i].End, tokens[i + 1].Start - tokens[i].End);
        var spaced = !gap.IsEmpty && gap.IsWhiteSpace();
        var previous = i > 0 ? tokens[i - 1].Value : "";
        return tokens[i].Value switch
        {
            "not" or "no" or "without" or "except" or "excluding" => i + 1,
            "nothing" when next != "other" => i + 1,
            "anything" or "everything" when next == "but" && spaced && i + 2 < tokens.Count => i + 2,
            "other" when next == "than" && spaced && previous is not ("none" or "nothing" or "no") && i + 2 < tokens.Count => i + 2,
            _ when IsContraction(text, i) && i + 2 < tokens.Count => i + 2,
            _ => -1,
        };
    }

    /// <summary>Token <paramref name="i"/> and the next are a negative contraction: "isn" "'" "t", "aren't", "don't"….</summary>
    private static bool IsContraction(QueryText text, int i)
    {
        var tokens = text.Tokens;
        return i + 1 < tokens.Count && ContractionStems.Contains(tokens[i].Value)
            && tokens[i + 1].Value == "t" && text.Normalized.AsSpan(tokens[i].End, tokens[i + 1].Start - tokens[i].End).SequenceEqual("'");
    }

    /// <summary>What a negative contraction leaves before its "'t".</summary>
    private static readonly HashSet<string> ContractionStems = ["isn", "aren", "don", "doesn", "didn", "wasn", "weren", "won", "shouldn", "wouldn", "can", "haven", "hasn"];

    /// <summary>Words that negate what follows them (<see cref="NegationEnd"/> reads them in context).</summary>
    private static readonly HashSet<string> NegationWords = ["not", "no", "never", "nothing", "without", "except", "excluding"];

    /// <summary>A concept label at token <paramref name="start"/>, excluded from <paramref name="from"/> on: the last token read, or -1.</summary>
    private int ExcludedConcept(QueryText text, PlanBuilder plan, int from, int start)
    {
        var tokens = text.Tokens;
        for (var n = Math.Min(_labels.MaxWords, tokens.Count - start); n >= 1; n--)
        {
            var words = string.Join(' ', tokens.Skip(start).Take(n).Select(t => t.Value));
            var concepts = _labels.ByLabel(words);
            if (concepts.Count == 0) continue;
            if (ObjectOfLabel(text, start, n, concepts) is { } narrower) (start, n, concepts) = narrower;
            var to = tokens[start + n - 1].End;
            if (!text.TryConsume(from, to)) return -1;
            plan.MarkStructural(from, to);
            var phrase = text.Normalized[from..to];
            var constraints = concepts.Select(c => new ConceptConstraint(c, Expand(c), ConceptConstraint.ExactAndNarrower)).Where(c => c.NamesAnything).ToArray();
            foreach (var c in constraints)
                plan.Filter(new NotConstraint(c), phrase, ConstraintOrigin.Exclusion, readAs: $"not {c.Concept.PrefLabel}", effect: QueryEffect.Exclude);
            if (constraints.Length == 0) ExcludeUnvalued(plan, phrase, concepts, tokens.Skip(start).Take(n).Select(t => t.Value).ToArray());
            return start + n - 1;
        }
        return -1;
    }

    /// <summary>
    /// A label that ends on a preposition ("based on") takes an object, and when that object is a label of the same scheme
    /// ("based on a true story", "based on a book") it is the narrower thing meant: "not based on a true story" leaves out
    /// what is based on real events, not every adaptation. The object's start, length and concepts, or null.
    /// </summary>
    private (int Start, int Count, IReadOnlyList<Concept> Concepts)? ObjectOfLabel(QueryText text, int start, int n, IReadOnlyList<Concept> concepts)
    {
        var tokens = text.Tokens;
        if (!StopWords.Contains(tokens[start + n - 1].Value)) return null;
        var next = start + n;
        while (next < tokens.Count && NegatedFillers.Contains(tokens[next].Value) && !BreaksClause(text, next)) next++;
        if (next >= tokens.Count || BreaksClause(text, next)) return null;
        for (var m = Math.Min(_labels.MaxWords, tokens.Count - next); m >= 1; m--)
        {
            var objects = _labels.ByLabel(string.Join(' ', tokens.Skip(next).Take(m).Select(t => t.Value)));
            if (objects.Count > 0)
                return objects.Any(o => concepts.Any(c => c.Scheme == o.Scheme)) ? (next, m, objects.Where(o => concepts.Any(c => c.Scheme == o.Scheme)).ToArray()) : null;
        }
        return null;
    }

    /// <summary>
    /// The exclusion of a concept no catalog value stands for. A sub-genre (Zombie film, below Horror) or a theme ("vietnam"):
    /// excluding what is above it would drop all horror or every war film, so the items whose title, description or distributor names
    /// the words asked for are left out ("zombie", "coming of age": the label less a film noun at either end; not the
    /// concept's other labels, which for a theme are as broad as "war"). A mood or an era is no subject a text names
    /// ("not dark" must not drop *The Dark Knight*): it is only kept out of the text search, and the reading says so.
    /// </summary>
    private void ExcludeUnvalued(PlanBuilder plan, string phrase, IReadOnlyList<Concept> concepts, string[] words)
    {
        var first = Array.FindIndex(words, w => !StopWords.Contains(w));
        var last = Array.FindLastIndex(words, w => !StopWords.Contains(w));
        if (first >= 0 && concepts.Any(c => c.Scheme is "genre" or "theme"))
            ExcludeMentions(plan, phrase, string.Join(' ', words[first..(last + 1)]));
        else
            plan.Read(new Reading(phrase, $"not {concepts[0].PrefLabel}", QueryEffect.Exclude,
                "no catalog value or title word carries it: it is kept out of the text search, and nothing is excluded"));
    }

    /// <summary>The exclusion of items whose text names <paramref name="words"/>; when none does, the reading says so.</summary>
    private void ExcludeMentions(PlanBuilder plan, string phrase, string words)
    {
        var mention = new MentionConstraint([words], $"a title, description or distributor naming \"{words}\"");
        plan.Filter(new NotConstraint(mention), phrase, ConstraintOrigin.Exclusion, readAs: $"not \"{words}\" (in the title, description or distributor)",
            effect: QueryEffect.Exclude, note: mention.Rows(_index).Count() == 0 ? "no title, description or distributor names it: nothing is left out" : null);
    }

    /// <summary>
    /// What a negation leaves that no rule read ("war movies but not vietnam"): up to <see cref="MaxNegatedWords"/> content
    /// words after "not", "no", "without", "except", "excluding", "anything but" or "other than", up to a clause break,
    /// are excluded as words the title, description or distributor names. Runs after every other rule, so titles, numbers and labels
    /// keep their readings. Words that carry nothing between the negation and its subject are passed over ("not from disney").
    /// </summary>
    private void NegatedWords(QueryText text, PlanBuilder plan)
    {
        var tokens = text.Tokens;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            // A query that opens with "no" and words no rule read is more likely a title the catalog lacks ("no country for
            // old men", "no way out") than an exclusion; "horror, no zombies" and "no remakes" are read by the rules above.
            // A contraction is followed by a verb ("don't miss"), so only a verb or article that leaves a subject ("isn't a
            // disney film", "doesn't have aliens") makes it an exclusion here.
            if (tokens[i].Value == "nothing" || (i == 0 && tokens[i].Value == "no")) continue;
            if (IsContraction(text, i) && !(i + 2 < tokens.Count && NegatedFillers.Contains(tokens[i + 2].Value))) continue;
            var start = NegationEnd(text, i);
            if (start < 0) continue;
            while (start < tokens.Count && (NegatedFillers.Contains(tokens[start].Value) || StopWords.Contains(tokens[start].Value)) && !ClauseWords.Contains(tokens[start].Value)) start++;
            // The clause the negation covers, to its break; when another rule read any of it, the negation was that rule's
            // ("not much romance": the label rule read "romance"), so nothing is excluded here.
            var clauseEnd = start;
            while (clauseEnd < tokens.Count && !ClauseWords.Contains(tokens[clauseEnd].Value) && (clauseEnd == start || !BreaksClause(text, clauseEnd))) clauseEnd++;
            if (start >= clauseEnd || Enumerable.Range(i, clauseEnd - i).Any(j => !text.IsFree(tokens[j]))) continue;
            var end = start;
            while (end < clauseEnd && end - start < MaxNegatedWords && !StopWords.Contains(tokens[end].Value) && !NeverNegated.Contains(tokens[end].Value)) end++;
            if (end == start) continue;
            var (from, to) = (tokens[i].Start, tokens[end - 1].End);
            if (!text.TryConsume(from, to)) continue;
            plan.MarkStructural(from, to);
            ExcludeMentions(plan, text.Normalized[from..to], text.Normalized[tokens[start].Start..to]);
            i = end - 1;
        }
    }

    /// <summary>Words after a negation that are amounts or comparisons, never a subject a title names ("not over", "no less").</summary>
    private static readonly HashSet<string> NeverNegated = ["over", "under", "less", "enough", "lot", "longer", "shorter", "older", "newer", "quite", "exactly", "necessarily"];

    /// <summary>At most this many words after a negation are excluded as a phrase the catalog's text names.</summary>
    private const int MaxNegatedWords = 3;

    /// <summary>Words that end what a negation covers: "not vietnam and not korea", "not gore but suspense".</summary>
    private static readonly HashSet<string> ClauseWords = ["and", "or", "but", "nor", "than", "just", "only", "please", "though", "although"];

    /// <summary>Punctuation between token <paramref name="i"/> and the one before it ends a clause.</summary>
    private static bool BreaksClause(QueryText text, int i) => ClauseBreak(text, text.Tokens[i - 1].End, text.Tokens[i].Start);

    /// <summary>The text between two positions holds punctuation that ends a clause or phrase (",", ";", ".", "(" …).</summary>
    private static bool ClauseBreak(QueryText text, int from, int to) => text.Normalized.AsSpan(from, to - from).IndexOfAny(",;.!?:()/") >= 0;

    /// <summary>A director at token <paramref name="start"/> (full name; or surname, after "by"), excluded: the last token read, or -1.</summary>
    private int ExcludedDirector(QueryText text, PlanBuilder plan, int from, int start, bool byWord)
    {
        var tokens = text.Tokens;
        var names = FullNamesAt(tokens, start).Select(m => ((IReadOnlyList<string>)[m.Director], m.Words));
        if (byWord && _directorsBySurname.TryGetValue(tokens[start].Value, out var namesakes)) names = names.Append((namesakes, 1));
        foreach (var (directors, n) in names)
        {
            var to = tokens[start + n - 1].End;
            if (!text.TryConsume(from, to)) return -1;
            plan.MarkStructural(from, to);
            plan.Filter(new NotConstraint(new FacetConstraint(FacetField.Director, directors)), text.Normalized[from..to], ConstraintOrigin.Exclusion,
                readAs: $"not director {string.Join(" or ", directors)}", effect: QueryEffect.Exclude);
            return start + n - 1;
        }
        return -1;
    }

    /// <summary>Directors by full name ("steven spielberg", accents ignored) or by surname after "by" or before "'s"/"films".</summary>
    private void Directors(QueryText text, PlanBuilder plan)
    {
        var tokens = text.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var matched = false;
            foreach (var (director, n) in FullNamesAt(tokens, i))
            {
                if (!text.TryConsume(tokens[i].Start, tokens[i + n - 1].End)) continue;
                AddDirector(plan, text.Normalized[tokens[i].Start..tokens[i + n - 1].End], [director]);
                i += n - 1;
                matched = true;
                break;
            }
            if (matched || !text.IsFree(tokens[i]) || !_directorsBySurname.TryGetValue(tokens[i].Value, out var namesakes)) continue;
            var before = i > 0 ? tokens[i - 1].Value : "";
            var after = i + 1 < tokens.Count ? tokens[i + 1].Value : "";
            var byWord = before is "by" or "director";
            // A surname that is also a concept's label ("zombie movies", not Rob Zombie's) needs "by".
            if (!byWord && (_labels.ByLabel(tokens[i].Value).Count > 0 || after is not ("s" or "film" or "films" or "movie" or "movies"))) continue;
            if (!text.TryConsume(tokens[i].Start, tokens[i].End)) continue;
            AddDirector(plan, tokens[i].Value, namesakes);
        }
    }

    /// <summary>Directors whose full name (two to four words, accents ignored) starts at token <paramref name="start"/>, longest first.</summary>
    private IEnumerable<(string Director, int Words)> FullNamesAt(IReadOnlyList<QueryText.Token> tokens, int start)
    {
        for (var n = Math.Min(4, tokens.Count - start); n >= 2; n--)
            if (_directorsByName.TryGetValue(string.Join(' ', tokens.Skip(start).Take(n).Select(t => t.Value)), out var director))
                yield return (director, n);
    }

    /// <summary>
    /// A director filters, and boosts as well, as a concept does: when too few of the director's films meet the rest of
    /// the request the filter is relaxed (<see cref="Admit"/>), and the boost still ranks those films first.
    /// </summary>
    private static void AddDirector(PlanBuilder plan, string phrase, IReadOnlyList<string> directors)
    {
        var director = new FacetConstraint(FacetField.Director, directors);
        plan.Filter(director, phrase, ConstraintOrigin.Concept, readAs: $"director {string.Join(" or ", directors)}");
        plan.Prefer(new Preference(director, phrase, 1));
    }

    /// <summary>
    /// Words that begin a catalog title ("star wars", "lord of the rings"; two words or more, not a concept
    /// label) are read as a title, so their words are matched against titles and not taken for concepts
    /// ("wars" is not the war genre here).
    /// </summary>
    private void Titles(QueryText text, PlanBuilder plan)
    {
        var tokens = text.Tokens;
        // A query that is exactly a title ("Alien") is that title, even in one word, unless it is exactly a label.
        var whole = string.Join(' ', tokens.Select(t => t.Value));
        if (tokens.Count > 0 && _titles.ContainsKey(TitleKey(whole)) && !_labels.IsExactLabel(whole) && text.TryConsume(tokens[0].Start, tokens[^1].End))
        {
            plan.MarkTitle(tokens[0].Start, tokens[^1].End);
            plan.Read(new Reading(text.Normalized[tokens[0].Start..tokens[^1].End], "title words", QueryEffect.Boost));
            return;
        }
        for (var i = 0; i < tokens.Count; i++)
        {
            var start = tokens[i].Value == "the" && i + 1 < tokens.Count ? i + 1 : i;
            for (var n = Math.Min(6, tokens.Count - start); n >= 2; n--)
            {
                var words = string.Join(' ', tokens.Skip(start).Take(n).Select(t => t.Value));
                if (!_titleStarts.Contains(TitleKey(words)) || _labels.ByLabel(words).Count > 0 || !MayBeTitleWords(words.Split(' '))) continue;
                var (from, to) = (tokens[i].Start, tokens[start + n - 1].End);
                if (!text.TryConsume(from, to)) continue;
                plan.MarkTitle(from, to);
                plan.Read(new Reading(text.Normalized[from..to], "title words", QueryEffect.Boost));
                i = start + n - 1;
                break;
            }
        }
    }

    /// <summary>A title's words as titles are looked up: numbers as digits, so "part two" finds "Part II".</summary>
    private static string TitleKey(string words) => string.Join(' ', words.Split(' ').Select(SequelNumber.Canonical));

    /// <summary>
    /// Whether a run of words inside a longer query can be read as the start of a title: not when it opens with a negation
    /// ("isn't" is how *Isn't She Great* starts, but "a film that isn't too long" negates), ends on a word that carries
    /// nothing ("black and", a fragment), or holds no word but those and a contraction's letter ("i'm").
    /// </summary>
    private static bool MayBeTitleWords(string[] words) =>
        !NegationWords.Contains(words[0]) && !(words is [var stem, "t", ..] && ContractionStems.Contains(stem)) && !StopWords.Contains(words[^1])
        && words.Any(w => w.Length > 1 && !StopWords.Contains(w));

    /// <summary>Concepts named by a label, longest label first; concepts of the filtering schemes filter, all boost.</summary>
    private void ConceptsByLabel(QueryText text, PlanBuilder plan)
    {
        var tokens = text.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            for (var n = Math.Min(_labels.MaxWords, tokens.Count - i); n >= 1; n--)
            {
                var words = string.Join(' ', tokens.Skip(i).Take(n).Select(t => t.Value));
                var concepts = _labels.ByLabel(words);
                if (concepts.Count == 0 || !text.TryConsume(tokens[i].Start, tokens[i + n - 1].End)) continue;
                var phrase = text.Normalized[tokens[i].Start..tokens[i + n - 1].End];
                foreach (var concept in concepts) AddConcept(plan, phrase, concept);
                i += n - 1;
                break;
            }
        }
    }

    private void AddConcept(PlanBuilder plan, string phrase, Concept concept)
    {
        if (plan.Concepts.Count >= MaxConcepts || plan.Concepts.Any(c => c.Concept.Id == concept.Id)) return;
        plan.Concepts.Add(new ConceptMatch(phrase, concept, 1, ByLabel: true));
        var expansion = Expand(concept);
        var filter = new ConceptConstraint(concept, expansion, ConceptConstraint.ExactAndNarrower);
        // A sub-genre the catalog cannot express (Slasher) filters by the genre above it (Horror).
        if (!filter.NamesAnything) filter = filter with { Relations = ConceptConstraint.ExactNarrowerAndBroader };
        var boost = new ConceptConstraint(concept, expansion, ConceptConstraint.Any);
        if (FilteringSchemes.Contains(concept.Scheme) && filter.NamesAnything)
            plan.Filter(filter, phrase, ConstraintOrigin.Concept, readAs: $"{Scheme(concept)} {concept.PrefLabel}", reading: true);
        else
            plan.Read(new Reading(phrase, $"{Scheme(concept)} {concept.PrefLabel}", QueryEffect.Boost,
                boost.NamesAnything ? null : "no catalog value carries it; it steers the text search only"));
        if (boost.NamesAnything) plan.Prefer(new Preference(boost, phrase, 1));
    }

    /// <summary>
    /// The concept's expansion as a query uses it: of the concepts above it, only the one just above counts, since a genre
    /// two steps up is too broad to stand for it (Heist film → Crime → Drama would filter out every heist comedy, and
    /// explain Schindler's List as a heist film).
    /// </summary>
    private ConceptExpansion[] Expand(Concept concept) =>
        _ontology.Expand(concept.Id).Where(e => e.Relation != ConceptRelation.Broader || e.Path.Count == 2).ToArray();

    private static string Scheme(Concept c) => c.Scheme switch
    {
        "creativeType" => "creative type",
        "source" => "source",
        "rating" => "rating",
        _ => c.Scheme,
    };

    /// <summary>Runs of unread content words, split at stop words and clause breaks, for matching by meaning.</summary>
    private static List<string> UnreadPhrases(QueryText text)
    {
        var phrases = new List<string>();
        var run = new List<string>();
        void Flush()
        {
            if (run.Count > 0 && phrases.Count < MaxPhrases && !phrases.Contains(string.Join(' ', run))) phrases.Add(string.Join(' ', run));
            run.Clear();
        }
        var previousEnd = 0;
        foreach (var t in text.Tokens)
        {
            // A clause break (comma, full stop…) ends a phrase: "gunslingers, flesh eaters" is two phrases.
            if (ClauseBreak(text, previousEnd, t.Start)) Flush();
            previousEnd = t.End;
            if (!text.IsFree(t) || StopWords.Contains(t.Value) || !t.Value.All(char.IsAsciiLetter)) { Flush(); continue; }
            run.Add(t.Value);
            if (run.Count == MaxPhraseWords) Flush();
        }
        Flush();
        return phrases;
    }

    // "like alien", "more like the thing, but…", "similar to heat": the title ends at a clause break or the end.
    [GeneratedRegex(@"(?<![\p{L}])(?:more\s+like|like|similar\s+to|in\s+the\s+vein\s+of|in\s+the\s+style\s+of|reminiscent\s+of|along\s+the\s+lines\s+of|(?:for\s+)?fans\s+of|if\s+(?:you|i|we|they|she|he)\s+(?:liked|loved|enjoyed))\s+(?<title>[^,;.!?]+?)(?=\s*(?:[,;.!?]|\s(?:but|for|from|with|under|over|in|and|except|without|not|that|rated|released|before|after|since|between)\s|$))", RegexOptions.CultureInvariant)]
    private static partial Regex LikePattern();
}
