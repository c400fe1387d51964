using System.Text.RegularExpressions;
using MediaGateway.Engine.Ontology;

namespace MediaGateway.Engine.Query;

/// <summary>
/// The numeric and temporal rules. Explicit numbers filter ("under 100 minutes", "rated above 8", "grossed more
/// than $500 million", "between 1990 and 1995"); vague words boost, with these thresholds:
/// well reviewed / acclaimed → IMDB ≥ 7.0; loved by critics → Rotten Tomatoes ≥ 80; poorly reviewed → IMDB ≤ 5.5;
/// panned by critics → Rotten Tomatoes ≤ 40; expensive → budget ≥ $100M; cheaply made → budget ≤ $10M;
/// commercial success / money-maker → worldwide gross ≥ 3× budget; flop → gross ≤ budget; blockbuster →
/// worldwide gross ≥ $300M; short → ≤ 95 min; long → ≥ 140 min; "about three hours" → ±15 min ("nearly": the
/// 25 minutes below); new / recent → the catalog's latest 5 years (<see cref="RecentYear"/>); old → before 1980; beside a
/// reference, older / newer / more recent → before or after its year (a filter).
/// Every number is ASCII digits or a number word (<see cref="AsciiNumber"/>); nothing here throws on user text.
/// </summary>
public sealed partial class QueryPlanner
{
    private const string Year = "(?:18[89][0-9]|19[0-9]{2}|20[0-9]{2})";
    private const string Num = AsciiNumber.Pattern;
    private const string Above = "above|over|more than|longer than|higher than|greater than|better than|at least|no less than";
    private const string Below = "below|under|less than|lower than|worse than|at most|no more than|no longer than|shorter than|within";
    /// <summary>A bound after the number: "6 or lower", "two hours or more", "7 and up" (inclusive).</summary>
    private const string OrMore = "more|higher|better|above|up|over|longer|greater";
    private const string OrLess = "less|lower|worse|below|under|shorter|fewer";
    private const string Tail = @"\s+(?:or|and)\s+(?<tail>" + OrMore + "|" + OrLess + ")" + R + NoNumberAfter;
    /// <summary>A tail word followed by a number starts the next comparison ("rated 8 and over 2 hours"), so it is not a tail.</summary>
    private const string NoNumberAfter = @"(?!\s+(?:\$|[0-9]|(?:" + AsciiNumber.WordPattern + "|an?|half)" + R + "))";

    private void ExplicitNumbers(QueryText text, PlanBuilder plan)
    {
        // Who is watching: "my 8 year old", "for a ten-year-old", "ages 13 and up" (before "old" can be read as an age of film).
        Each(text, plan, ViewerAge(), m => Int(m, "n") is { } age and > 0 and < 120
            && Ratings(plan, m.Value, MpaaScale.SuitableFor(age), $"for age {age}") && AudienceOf(plan, m.Value, age));
        // "PG-13 or lower", "at most PG", "rated R or higher": the MPAA scale is an order, not a list of names.
        Each(text, plan, RatingBound(), m => MpaaScale.Canonical(m.Groups["r"].Value) is { } rating
            && Ratings(plan, m.Value, MpaaScale.From(rating, orLower: !m.Groups["up"].Success), null));

        // Years: ranges before single bounds before a single year.
        Each(text, plan, YearBetween(), m => Years(plan, m.Value, Int(m, "a"), Int(m, "b")));
        // "not before 1990" is 1990 or later, "not after 2000" 2000 or earlier.
        Each(text, plan, YearBefore(), m => Negation(text, m) is { } not
            ? Years(plan, not.Phrase, Int(m, "a") + (m.Groups["incl"].Success ? 1 : 0), null) && Read(text, plan, not)
            : Years(plan, m.Value, null, Int(m, "a") - (m.Groups["incl"].Success ? 0 : 1)));
        Each(text, plan, YearAfter(), m => Negation(text, m) is { } not
            ? Years(plan, not.Phrase, null, Int(m, "a") - (m.Groups["incl"].Success ? 1 : 0)) && Read(text, plan, not)
            : Years(plan, m.Value, Int(m, "a") + (m.Groups["incl"].Success ? 0 : 1), null));
        Each(text, plan, YearOrLater(), m =>
            Years(plan, m.Value, m.Groups["dir"].Value is "later" or "after" or "newer" or "onwards" or "onward" ? Int(m, "a") : null,
                m.Groups["dir"].Value is "earlier" or "before" or "older" ? Int(m, "a") : null));
        Each(text, plan, YearIn(), m => OneYear(text, plan, m, Negation(text, m)));
        // "2005 thrillers", "a 1999 comedy": a year before a word is when it was made, unless a title is that year ("2012").
        Each(text, plan, YearBeforeWord(), m => !_titles.ContainsKey(m.Value) && OneYear(text, plan, m, Negation(text, m, skipping: NegatedFillers)));
        // "the last decade", "the past 5 years": counted back from the catalog's recent year, as "new" is.
        Each(text, plan, LastYears(), m => (m.Groups["n"].Success ? Int(m, "n") : 10) is { } n and > 0
            && Years(plan, m.Value, _latestYear - n + 1, NewestYear));
        Each(text, plan, DecadePart(), m =>
        {
            var d = Decade(m.Groups["d"].Value);
            if (d is not { } start) return false;
            var (from, to) = m.Groups["part"].Value switch { "early" => (0, 3), "mid" => (3, 6), _ => (6, 9) };
            return Negation(text, m) is { } not ? ExcludeYears(text, plan, not, start + from, start + to) : Years(plan, m.Value, start + from, start + to);
        });
        // "not from the 80s", "nothing from the 90s": the decade is excluded (a negated span names what to leave out).
        Each(text, plan, DecadePattern(), m => Decade(m.Groups["d"].Value) is { } d
            && (Negation(text, m, skipping: DecadeLeadIn) is { } not ? ExcludeYears(text, plan, not, d, d + 9) : Years(plan, m.Value, d, d + 9)));

        // Runtime.
        Each(text, plan, RuntimeOrMore(), m =>
        {
            if (Minutes(m) is not { } minutes) return false;
            var not = Negation(text, m);
            var below = IsLess(m.Groups["tail"].Value) != (not is not null);
            return Numeric(plan, not?.Phrase ?? m.Value, NumericAttribute.Runtime, below ? null : minutes, below ? minutes : null) && (not is null || Read(text, plan, not));
        });
        Each(text, plan, RuntimeCompare(), m =>
        {
            if (Minutes(m) is not { } minutes) return false;
            var below = Regex.IsMatch(m.Groups["dir"].Value, $"^(?:{Below})$");
            // "not over two hours": two hours or less (minutes are whole, so the bound stays inclusive either way).
            if (Negation(text, m) is { } not)
                return Numeric(plan, not.Phrase, NumericAttribute.Runtime, below ? minutes : null, below ? null : minutes) && Read(text, plan, not);
            return Numeric(plan, m.Value, NumericAttribute.Runtime, below ? null : minutes, below ? minutes : null);
        });
        Each(text, plan, RuntimeAbout(), m =>
        {
            if (Minutes(m) is not { } minutes) return false;
            var nearly = m.Groups["approx"].Value is "nearly" or "almost" or "close to";
            return Boost(plan, m.Value, new RangeConstraint(NumericAttribute.Runtime, nearly ? minutes - 25 : minutes - 15, nearly ? minutes : minutes + 15));
        });

        // Ratings: IMDB out of 10, Rotten Tomatoes in percent.
        Each(text, plan, RottenTomatoesCompare(), m =>
        {
            if (!AsciiNumber.TryParse(m.Groups["n"].Value, out var n) || n > 100) return false;
            var below = m.Groups["dir"].Success ? Regex.IsMatch(m.Groups["dir"].Value, $"^(?:{Below})$") : IsLess(m.Groups["tail"].Value);
            var not = m.Groups["dir"].Success || m.Groups["tail"].Success ? Negation(text, m) : null;
            if (not is not null) below = !below;
            return Numeric(plan, not?.Phrase ?? m.Value, NumericAttribute.RottenTomatoes, below ? null : n, below ? n : null) && (not is null || Read(text, plan, not));
        });
        Each(text, plan, RatingCompare(), m =>
        {
            if (!AsciiNumber.TryParse(m.Groups["n"].Value, out var n) || n > 10) return false;
            var dir = m.Groups["dir"].Value;
            var strict = dir is "above" or "over" or "more than" or "higher than" or "greater than" or "better than" or "below" or "under" or "less than" or "lower than" or "worse than";
            var below = dir.Length > 0 ? Regex.IsMatch(dir, $"^(?:{Below})$") : IsLess(m.Groups["tail"].Value);
            // "not rated above 8" is 8 or lower; only a comparison turns round ("not rated 8" is left as it is).
            var not = dir.Length > 0 || m.Groups["tail"].Success || m.Value.TrimEnd().EndsWith('+') ? Negation(text, m) : null;
            if (not is not null) (below, strict) = (!below, !strict);
            // IMDB ratings have one decimal, so a strict bound is the next tenth: "above 8" is 8.1 or more, as shown.
            var bound = strict ? Math.Round(below ? n - 0.1 : n + 0.1, 1) : n;
            var phrase = not?.Phrase ?? m.Value;
            return (below
                ? Numeric(plan, phrase, NumericAttribute.ImdbRating, null, bound)
                : Numeric(plan, phrase, NumericAttribute.ImdbRating, bound, null)) && (not is null || Read(text, plan, not));
        });

        // Money: gross or budget against an amount.
        Each(text, plan, MoneyCompare(), m =>
        {
            if (!AsciiNumber.TryParseMoney(m.Groups["n"].Value, m.Groups["mult"].Value, out var dollars) || dollars <= 0) return false;
            var attribute = m.Groups["what"].Value.StartsWith("budget", StringComparison.Ordinal) || m.Groups["what"].Value.StartsWith("cost", StringComparison.Ordinal)
                ? NumericAttribute.Budget : NumericAttribute.WorldwideGross;
            var below = Regex.IsMatch(m.Groups["dir"].Value, $"^(?:{Below})$");
            return Numeric(plan, m.Value, attribute, below ? null : dollars, below ? dollars : null);
        });
    }

    private void VagueWords(QueryText text, PlanBuilder plan)
    {
        // "the highest grossing", "the most expensive", "the longest", "the oldest": an order by that number, as "the best"
        // is by rating (first: ahead of "critically acclaimed", "best", "expensive", "long" and "old", which only take a side of a bound).
        Each(text, plan, Superlative(), m => SuperlativeOf(m) is { } order && Vague(text, plan, m, order));
        Each(text, plan, CriticsLoved(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.RottenTomatoes, 80, null)));
        Each(text, plan, CriticsPanned(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.RottenTomatoes, null, 40)));
        // "the best", "top rated", "the worst": an order by rating, not only a side of a bound (RangeConstraint.Toward).
        Each(text, plan, BestRated(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.ImdbRating, 7.0, null, Toward: 10)));
        Each(text, plan, WorstRated(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.ImdbRating, null, 5.5, Toward: 1)));
        Each(text, plan, WellReviewed(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.ImdbRating, 7.0, null)));
        Each(text, plan, PoorlyReviewed(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.ImdbRating, null, 5.5)));
        Each(text, plan, Expensive(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.Budget, 100e6, null)));
        Each(text, plan, Cheap(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.Budget, null, 10e6)));
        Each(text, plan, Flop(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.ReturnOnBudget, null, 1)));
        Each(text, plan, Success(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.ReturnOnBudget, 3, null)));
        Each(text, plan, Blockbuster(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.WorldwideGross, 300e6, null)));
        Each(text, plan, Short(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.Runtime, null, 95)));
        Each(text, plan, Long(), m => Vague(text, plan, m, new RangeConstraint(NumericAttribute.Runtime, 140, null)));
        // Beside a reference ("like the matrix but older") a comparative is relative to the reference's year, and filters.
        var referenceYear = plan.ReferenceRow is { } reference ? _catalog[reference].Year : null;
        Each(text, plan, New(), m => Comparative(text, m) && referenceYear is { } y
            ? Years(plan, m.Value, y + 1, null)
            : Vague(text, plan, m, new RangeConstraint(NumericAttribute.Year, _latestYear - 5, NewestYear)));
        Each(text, plan, Old(), m => Comparative(text, m) && referenceYear is { } y
            ? Years(plan, m.Value, null, y - 1)
            : Vague(text, plan, m, new RangeConstraint(NumericAttribute.Year, null, 1979)));
    }

    /// <summary>
    /// The order a superlative asks for: the catalog's top (or bottom) tenth of known values, ranked toward its end, so "the
    /// longest" prefers 200 minutes to 160 and both to a film of average length (the bounds move with the catalog). Null when no item knows the number.
    /// </summary>
    private RangeConstraint? SuperlativeOf(Match m)
    {
        var (attribute, highest) = m.Groups switch
        {
            var g when g["grossHigh"].Success => (NumericAttribute.WorldwideGross, true),
            var g when g["grossLow"].Success => (NumericAttribute.WorldwideGross, false),
            var g when g["budgetHigh"].Success => (NumericAttribute.Budget, true),
            var g when g["budgetLow"].Success => (NumericAttribute.Budget, false),
            var g when g["longest"].Success => (NumericAttribute.Runtime, true),
            var g when g["shortest"].Success => (NumericAttribute.Runtime, false),
            var g when g["critics"].Success => (NumericAttribute.RottenTomatoes, true),
            _ => (NumericAttribute.Year, false),
        };
        // Ranked toward the top hundredth, not the single extreme: one $2.8 billion gross would leave every other hit near ½.
        if (_index.Quantile(attribute, highest ? 0.9 : 0.1) is not { } bound || _index.Quantile(attribute, highest ? 0.99 : 0.01) is not { } end) return null;
        return highest ? new RangeConstraint(attribute, bound, null, Toward: end) : new RangeConstraint(attribute, null, bound, Toward: end);
    }

    /// <summary>
    /// The newest year "new" and "the last decade" take: a year past the one 99% of the catalog has reached, so the few
    /// items dated beyond it (a mis-dated release the importer could not tell from a real one) are not the newest.
    /// </summary>
    private int NewestYear => _latestYear + 1;

    /// <summary>
    /// "but older", "newer than that", "something more recent": a comparison standing on its own, not an absolute age and
    /// not part of a phrase ("for older kids", "an older audience"), and not negated ("not newer").
    /// </summary>
    private static bool Comparative(QueryText text, Match m)
    {
        var before = text.Normalized.AsSpan(0, m.Index).TrimEnd();
        if (m.Value is not ("older" or "newer") && !before.EndsWith("more", StringComparison.Ordinal)) return false;
        var previous = text.Tokens.LastOrDefault(t => t.End <= m.Index).Value;
        if (previous is "not" or "no" or "never" or "nothing") return false;
        var next = text.Tokens.FirstOrDefault(t => t.Start >= m.Index + m.Length);
        return next.Value is null or "than" or "and" or "but" or "or" or "please" or "one" or "ones" or "film" or "films" or "movie" or "movies"
            || ClauseBreak(text, m.Index + m.Length, next.Start);
    }

    /// <summary>Runs <paramref name="apply"/> on each match whose span is still unread; marks the span read when it applies.</summary>
    private static void Each(QueryText text, PlanBuilder plan, Regex pattern, Func<Match, bool> apply)
    {
        foreach (Match m in pattern.Matches(text.Normalized))
        {
            if (!text.IsFree(m.Index, m.Index + m.Length) || !apply(m)) continue;
            text.TryConsume(m.Index, m.Index + m.Length);
            plan.MarkStructural(m.Index, m.Index + m.Length);
        }
    }

    /// <summary>
    /// A filter on MPAA ratings that relaxes to a boost like a concept's when too few items have them; from 17 every rating
    /// is allowed and only the reading remains.
    /// </summary>
    private static bool Ratings(PlanBuilder plan, string phrase, IReadOnlyList<string> ratings, string? who)
    {
        var constraint = new FacetConstraint(FacetField.MpaaRating, ratings);
        var readAs = who is null ? $"rated {string.Join(", ", ratings)}" : $"{who}: rated {string.Join(", ", ratings)}";
        if (ratings.Count == MpaaScale.Ordered.Count)
        {
            plan.Read(new Reading(phrase.Trim(), readAs, QueryEffect.Boost, "every rating suits; nothing is left out"));
            return true;
        }
        plan.Filter(constraint, phrase.Trim(), ConstraintOrigin.Concept, readAs: readAs);
        plan.Prefer(new Preference(constraint, phrase.Trim(), 1));
        return true;
    }

    /// <summary>
    /// What a viewer's age says beyond the ratings allowed: a child is best served by films made for children, a teenager by
    /// those made for teenagers (the ontology's audience concept of that label ranks them first); an adult, by anything.
    /// </summary>
    private bool AudienceOf(PlanBuilder plan, string phrase, int age)
    {
        var label = age < 13 ? "children" : age < 17 ? "teenagers" : null;
        foreach (var concept in label is null ? [] : _labels.ByLabel(label).Where(c => c.Scheme == "audience"))
        {
            var boost = new ConceptConstraint(concept, Expand(concept), ConceptConstraint.Any);
            if (boost.NamesAnything) plan.Prefer(new Preference(boost, phrase.Trim(), 1), readAs: $"audience {concept.PrefLabel}");
        }
        return true;
    }

    private static bool Years(PlanBuilder plan, string phrase, int? from, int? to) =>
        (from ?? 0) <= (to ?? int.MaxValue) && Numeric(plan, phrase, NumericAttribute.Year, from, to);

    private static bool Numeric(PlanBuilder plan, string phrase, NumericAttribute attribute, double? min, double? max)
    {
        plan.Filter(new RangeConstraint(attribute, min, max), phrase.Trim(), ConstraintOrigin.Numeric);
        return true;
    }

    /// <summary>
    /// A vague amount as a boost; negated ("not too long", "nothing expensive") the other side of its bound is boosted
    /// instead (a two-sided one, "new", gives its older side), so the negation never boosts what it denies.
    /// </summary>
    private static bool Vague(QueryText text, PlanBuilder plan, Match m, RangeConstraint constraint)
    {
        if (Negation(text, m, skipping: NegatedFillers) is not { } not) return Boost(plan, m.Value, constraint);
        var other = constraint.Min is { } min ? constraint with { Min = null, Max = min } : constraint with { Min = constraint.Max, Max = null };
        return Boost(plan, not.Phrase, other) && Read(text, plan, not);
    }

    /// <summary>The single year of <paramref name="m"/> (its group "a"): a filter, or left out when <paramref name="not"/> negates it.</summary>
    private static bool OneYear(QueryText text, PlanBuilder plan, Match m, NegatedComparison? not) => not is not null
        ? ExcludeYears(text, plan, not, Int(m, "a"), Int(m, "a"))
        : Years(plan, m.Value, Int(m, "a"), Int(m, "a"));

    /// <summary>"not from the 80s", "not in 1999": items of those years are left out.</summary>
    private static bool ExcludeYears(QueryText text, PlanBuilder plan, NegatedComparison not, int? from, int? to)
    {
        if (from is null || to is null) return false;
        var years = new RangeConstraint(NumericAttribute.Year, from, to);
        plan.Filter(new NotConstraint(years), not.Phrase, ConstraintOrigin.Exclusion, readAs: $"not {years.Describe()}", effect: QueryEffect.Exclude);
        return Read(text, plan, not);
    }

    private static bool Boost(PlanBuilder plan, string phrase, RangeConstraint constraint)
    {
        plan.Prefer(new Preference(constraint, phrase.Trim(), 1), readAs: constraint.Describe());
        return true;
    }

    private static int? Int(Match m, string group) =>
        AsciiNumber.TryParse(m.Groups[group].Value, out var v) && v is >= 0 and < 10000 ? (int)v : null;

    /// <summary>
    /// "1980s" or "80s": a two-digit decade is the latest one the catalog can have reached, so "the 20s" is the 1920s in a
    /// catalog whose films reach 2010 (and the 2020s in one that reaches them), never a decade after its recent year.
    /// </summary>
    private int? Decade(string digits)
    {
        if (!AsciiNumber.TryParse(digits, out var v)) return null;
        var d = (int)v;
        return digits.Length == 4 ? d : 2000 + d <= _latestYear ? 2000 + d : 1900 + d;
    }

    private static double? Minutes(Match m)
    {
        if (!AsciiNumber.TryParse(m.Groups["n"].Value, out var n)) return null;
        var hours = m.Groups["unit"].Value.StartsWith('h');
        var minutes = hours ? n * 60 : n;
        if (m.Groups["half"].Success) minutes += hours ? 30 : 0;
        return minutes is >= 1 and <= 1000 ? Math.Round(minutes) : null;
    }

    private static bool IsLess(string tail) => Regex.IsMatch(tail, $"^(?:{OrLess})$");

    /// <summary>A negation before a phrase: the phrase is read turned round, with the negation's words.</summary>
    private sealed record NegatedComparison(int Start, int PhraseStart, string Phrase);

    /// <summary>Words a decade's negation may have between it and the decade: "not from the 80s", "nothing in the 90s".</summary>
    private static readonly HashSet<string> DecadeLeadIn = ["from", "in", "the", "of"];

    /// <summary>
    /// The negation just before <paramref name="m"/>, unread: "not", "never", "nothing" or a contraction's "n't" ("aren't
    /// over 90 minutes"), with only <paramref name="skipping"/> words between ("not too long"); null when there is none.
    /// </summary>
    private static NegatedComparison? Negation(QueryText text, Match m, IReadOnlySet<string>? skipping = null)
    {
        var tokens = text.Tokens;
        var k = -1;
        for (var i = 0; i < tokens.Count && tokens[i].End <= m.Index; i++) k = i;
        var phraseStart = m.Index;
        while (k >= 0 && skipping is not null && skipping.Contains(tokens[k].Value) && text.IsFree(tokens[k])) phraseStart = tokens[k--].Start;
        if (k < 0 || !text.IsFree(tokens[k]) || !text.Normalized.AsSpan(tokens[k].End, phraseStart - tokens[k].End).IsWhiteSpace()) return null;
        var start = tokens[k].Value switch
        {
            "not" or "never" or "nothing" => tokens[k].Start,
            "t" when k > 0 && IsContraction(text, k - 1) && text.IsFree(tokens[k - 1]) => tokens[k - 1].Start,
            _ => -1,
        };
        if (start < 0) return null;
        // Between the negation and the phrase only the skipped words; the match's own span is read by Each.
        return new(start, m.Index, text.Normalized[start..(m.Index + m.Length)]);
    }

    /// <summary>Marks the negation's words read with the turned phrase (the phrase's own span is marked by <see cref="Each"/>).</summary>
    private static bool Read(QueryText text, PlanBuilder plan, NegatedComparison not)
    {
        var end = text.Tokens.Where(t => t.End <= not.PhraseStart).Max(t => t.End);
        text.TryConsume(not.Start, end);
        plan.MarkStructural(not.Start, end);
        return true;
    }

    private const string L = @"(?<![\p{L}\p{N}])", R = @"(?![\p{L}\p{N}])";

    [GeneratedRegex(L + @"(?:between\s+(?<a>" + Year + @")\s+and\s+(?<b>" + Year + @")|from\s+(?<a>" + Year + @")\s+(?:to|until|till|through)\s+(?<b>" + Year + @")|(?<a>" + Year + @")\s*(?:-|to)\s*(?<b>" + Year + @"))" + R, RegexOptions.CultureInvariant)]
    private static partial Regex YearBetween();

    [GeneratedRegex(L + @"(?:before|prior\s+to|older\s+than|earlier\s+than|pre-?|(?<incl>until|up\s+to|through))\s*(?<a>" + Year + @")" + R, RegexOptions.CultureInvariant)]
    private static partial Regex YearBefore();

    [GeneratedRegex(L + @"(?:after|newer\s+than|later\s+than|more\s+recent\s+than|post-?|(?<incl>since|from\s+(?=[0-9]{4}\s+on)))\s*(?<a>" + Year + @")(?:\s+on(?:wards?)?)?" + R, RegexOptions.CultureInvariant)]
    private static partial Regex YearAfter();

    [GeneratedRegex(L + @"(?<a>" + Year + @")\s+(?:or|and)\s+(?<dir>later|after|newer|onwards?|earlier|before|older)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex YearOrLater();

    [GeneratedRegex(L + @"(?:in|from|of|released\s+in|during|made\s+in)\s+(?<a>" + Year + @")" + R, RegexOptions.CultureInvariant)]
    private static partial Regex YearIn();

    // Not before an article, a joining word or a unit: "2001 a space odyssey" is a title, "1990 to 1995" a range, "2000 minutes" no year.
    [GeneratedRegex(L + @"(?<a>" + Year + @")(?=\s+(?!(?:a|an|the|and|or|to|through|until|till|on|onwards?|s|million|billion|thousand|m|bn|k|dollars|minutes?|mins?|hours?|votes?|people)(?![\p{L}\p{N}]))\p{L})", RegexOptions.CultureInvariant)]
    private static partial Regex YearBeforeWord();

    [GeneratedRegex(L + @"(?:the\s+)?(?:last|past|previous)\s+(?:decade|(?<n>[0-9]{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+years)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex LastYears();

    [GeneratedRegex(L + @"(?<part>early|mid|late)[\s-]+(?:the\s+)?'?(?<d>(?:18|19|20)?[0-9]0)'?s" + R, RegexOptions.CultureInvariant)]
    private static partial Regex DecadePart();

    // "80s", "1980s", "'80s"
    [GeneratedRegex(@"(?<![\p{L}\p{N}])'?(?<d>(?:18|19|20)?[0-9]0)'?s" + R, RegexOptions.CultureInvariant)]
    private static partial Regex DecadePattern();

    [GeneratedRegex(L + @"(?:(?<n>" + Num + @")[\s-]*(?:years?|yrs?)[\s-]*olds?|(?:ages?|aged)\s+(?<n>[0-9]{1,2}|" + AsciiNumber.WordPattern + @")(?:\s*\+|\s+(?:and|or)\s+(?:up|over|older))?)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex ViewerAge();

    private const string MpaaRating = @"(?:rated\s+)?(?<r>g|pg|pg-?13|r|nc-?17)";

    [GeneratedRegex(L + @"(?:" + MpaaRating + @"\s+(?:or|and)\s+(?:(?<up>higher|above|over|up|worse)|lower|below|under|less|milder|down)|(?:at\s+most|no\s+(?:higher|more)\s+than|up\s+to|nothing\s+above)\s+" + MpaaRating + @"|(?<up>at\s+least|no\s+(?:lower|less)\s+than)\s+" + MpaaRating + @")" + R, RegexOptions.CultureInvariant)]
    private static partial Regex RatingBound();

    [GeneratedRegex(L + @"(?:runs?\s+|running\s+)?(?<dir>" + Above + "|" + Below + @")\s+(?<n>" + Num + @")(?<half>\s+and\s+a\s+half)?\s*(?<unit>hours?|hrs?|h|minutes?|mins?|m)(?<half>\s+and\s+a\s+half)?(?:[\s-]+long)?" + R, RegexOptions.CultureInvariant)]
    private static partial Regex RuntimeCompare();

    [GeneratedRegex(L + @"(?<n>" + Num + @")(?<half>\s+and\s+a\s+half)?[\s-]*(?<unit>hours?|hrs?|minutes?|mins?)(?<half>\s+and\s+a\s+half)?(?:[\s-]+long)?" + Tail, RegexOptions.CultureInvariant)]
    private static partial Regex RuntimeOrMore();

    [GeneratedRegex(L + @"(?:(?<approx>nearly|almost|about|around|roughly|approximately|close\s+to)\s+)?(?<n>" + Num + @")(?<half>\s+and\s+a\s+half)?[\s-]*(?<unit>hours?|hrs?|minutes?|mins?)(?<half>\s+and\s+a\s+half)?(?:[\s-]+long)?" + R, RegexOptions.CultureInvariant)]
    private static partial Regex RuntimeAbout();

    // A rating in words only after a comparison or before "out of ten" / "stars": "rated above seven", "eight out of
    // ten", not "scored ten oscars" or "rated one of the best".
    private const string RatingWord = "(?:one|two|three|four|five|six|seven|eight|nine|ten)";
    /// <summary>What ends a rating in words that is a bound: "eight or above", "seven and up".</summary>
    private const string OrBound = @"\s+(?:or|and)\s+(?:" + OrMore + "|" + OrLess + ")" + R;
    private const string OutOfTen = @"(?:\s*(?:/|out\s+of)\s*(?:10|ten)" + R + ")";

    [GeneratedRegex(L + @"(?:(?:rated|rating(?:\s+of)?|imdb(?:\s+rating)?(?:\s+of)?|scored?|score\s+of)\s+)(?:(?<dir>" + Above + "|" + Below + @")\s+(?<n>[0-9]{1,2}(?:\.[0-9])?|" + RatingWord + @")|(?<n>[0-9]{1,2}(?:\.[0-9])?)|(?<n>" + RatingWord + @")(?=" + OutOfTen + @"|\s+stars?" + R + "|" + OrBound + @"))" + OutOfTen + @"?(?:\s*\+|" + Tail + @")?(?![\p{L}\p{N}%])", RegexOptions.CultureInvariant)]
    private static partial Regex RatingCompare();

    [GeneratedRegex(L + @"(?:(?:rotten\s+tomatoes|tomatometer)(?:\s+(?:score|rating))?(?:\s+of)?\s+(?:(?<dir>" + Above + "|" + Below + @")\s+)?(?<n>[0-9]{1,3}|" + AsciiNumber.WordPattern + @")\s*%?(?:" + Tail + @")?|(?:(?<dir>" + Above + "|" + Below + @")\s+)?(?<n>[0-9]{1,3})\s*%(?:" + Tail + @")?\s+(?:on|at|from)\s+(?:rotten\s+tomatoes|rt))" + R, RegexOptions.CultureInvariant)]
    private static partial Regex RottenTomatoesCompare();

    [GeneratedRegex(L + @"(?<what>grossed|grossing|gross(?:es)?|earned|earning|made|took|box[\s-]office(?:\s+of)?|budgets?(?:\s+of)?|cost(?:ing)?)\s+(?<dir>" + Above + "|" + Below + @")\s+\$?\s?(?<n>[0-9]{1,6}(?:\.[0-9]{1,3})?)\s*(?<mult>billion|million|mil|bn|m|thousand|k)?(?:\s+dollars)?" + R, RegexOptions.CultureInvariant)]
    private static partial Regex MoneyCompare();

    [GeneratedRegex(L + @"(?:critically\s+acclaimed|loved\s+by\s+(?:the\s+)?critics|critics'?\s+(?:favou?rites?|darlings?|picks?)|praised\s+by\s+(?:the\s+)?critics|critical\s+(?:success(?:es)?|darlings?|hits?)|rave\s+reviews)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex CriticsLoved();

    [GeneratedRegex(L + @"(?:panned(?:\s+by\s+(?:the\s+)?critics)?|hated\s+by\s+(?:the\s+)?critics|trashed\s+by\s+(?:the\s+)?critics|critical\s+(?:flops?|failures?|bombs?))" + R, RegexOptions.CultureInvariant)]
    private static partial Regex CriticsPanned();

    [GeneratedRegex(L + @"(?:(?:top|best|highest)[\s-]rated|best|greatest|top\s+(?:[0-9]{1,3}|ten|twenty|fifty|hundred)|all[\s-]time\s+greats?)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex BestRated();

    // The newest is already "new" (New()), which counts back from the catalog's recent year.
    [GeneratedRegex(L + @"(?:(?<grossHigh>(?:highest|top|biggest)[\s-]grossing|grossed\s+the\s+most|(?:biggest|largest)\s+box[\s-]office(?:\s+(?:hits?|successes))?|most\s+(?:commercially\s+)?successful|(?:biggest|top)\s+(?:earners|money[\s-]?makers))"
        + @"|(?<grossLow>(?:lowest|least)[\s-]grossing|grossed\s+the\s+least)"
        + @"|(?<budgetHigh>most\s+expensive|costliest|(?:biggest|largest|highest)\s+budgets?)"
        + @"|(?<budgetLow>cheapest|least\s+expensive|(?:smallest|lowest|tiniest)\s+budgets?)"
        + @"|(?<longest>longest)|(?<shortest>shortest)"
        + @"|(?<critics>(?:highest|best)\s+(?:rotten\s+tomatoes|tomatometer|critics'?)\s+(?:scores?|ratings?)|most\s+(?:critically\s+)?acclaimed)"
        + @"|(?<oldest>oldest|earliest))" + R, RegexOptions.CultureInvariant)]
    private static partial Regex Superlative();

    [GeneratedRegex(L + @"(?:(?:worst|lowest)[\s-]rated|worst)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex WorstRated();

    [GeneratedRegex(L + @"(?:well[\s-]reviewed|well[\s-]received|good\s+reviews|(?:highly|high|better)[\s-]rated|acclaimed|excellent|masterpieces?|award[\s-]winning|must[\s-]see|highly\s+regarded)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex WellReviewed();

    [GeneratedRegex(L + @"(?:poorly[\s-]reviewed|badly[\s-]reviewed|bad\s+reviews|(?:poorly|low|badly)[\s-]rated|terrible|awful|poorly\s+received)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex PoorlyReviewed();

    [GeneratedRegex(L + @"(?:expensive|big[\s-]budget|high[\s-]budget|lavish|costly|mega[\s-]budget|huge\s+budgets?)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex Expensive();

    [GeneratedRegex(L + @"(?:cheaply[\s-]made|cheap|low[\s-]budget|shoestring(?:\s+budget)?|micro[\s-]budget|made\s+on\s+a\s+shoestring)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex Cheap();

    [GeneratedRegex(L + @"(?:flops?|box[\s-]office\s+(?:bombs?|flops?|failures?|disasters?)|bombed|commercial\s+(?:failures?|flops?|disasters?)|lost\s+money|money[\s-]losers?)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex Flop();

    [GeneratedRegex(L + @"(?:commercial(?:ly)?\s+(?:success(?:es|ful)?|hits?)|money[\s-]?makers?|box[\s-]office\s+(?:hits?|smash(?:es)?|success(?:es)?)|profitable|smash\s+hits?|made\s+a\s+fortune|(?:made|earned|raked\s+in)\s+(?:a\s+(?:lot|ton|heap)\s+of|lots\s+of|tons\s+of|loads\s+of|big|serious)\s+money|made\s+a\s+killing|huge\s+hits?|big\s+hits?)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex Success();

    [GeneratedRegex(L + @"blockbusters?" + R, RegexOptions.CultureInvariant)]
    private static partial Regex Blockbuster();

    [GeneratedRegex(L + @"(?:short|brief|quick)(?![\p{L}\p{N}]|\s+(?:films?|story|stories))", RegexOptions.CultureInvariant)]
    private static partial Regex Short();

    [GeneratedRegex(L + @"(?:long|lengthy|epic[\s-]length|marathon)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex Long();

    [GeneratedRegex(L + @"(?:new|newer|newest|recent|latest|brand[\s-]new)(?!\s+(?:york|jersey|orleans|zealand|mexico|hope|wave|world|testament|guy))" + R, RegexOptions.CultureInvariant)]
    private static partial Regex New();

    [GeneratedRegex(L + @"(?:old|older|oldies|old[\s-]fashioned)" + R, RegexOptions.CultureInvariant)]
    private static partial Regex Old();
}
