using System.Globalization;
using System.Text;
using System.Text.Json;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Text;

namespace MediaGateway.Engine.Catalog;

/// <summary>What an import did: how many items it took, which records it refused and why.</summary>
public sealed record CatalogImportReport(int Read, int Imported, IReadOnlyList<string> Rejected, int Flagged);

public sealed record CatalogImportResult(IReadOnlyList<CatalogItem> Items, CatalogImportReport Report)
{
    /// <summary>
    /// For each imported item, its record's position in the file (0-based, counting every record read,
    /// rejected ones included: non-blank JSONL lines, or JSON array elements). Rows of a precomputed
    /// embeddings file beside the catalog are matched to items through it.
    /// </summary>
    public IReadOnlyList<int> SourceRecords { get; init; } = [];
}

/// <summary>
/// Imports a catalog from a JSON array or a JSONL file (one object per line) in the schema of
/// docs/catalog-format.md. Field names are matched without regard to case, spaces or underscores, and a
/// few documented aliases are accepted ("Major Genre" for genre, "Running Time min" for runtimeMinutes…),
/// which is what lets the vega-datasets movies file import as it is.
/// </summary>
public sealed class CatalogImporter(TimeProvider? time = null)
{
    /// <summary>No film was shown before this year; an earlier date is a data error.</summary>
    public const int FirstFilmYear = 1870;

    /// <summary>How many titles must look like Windows-1252 read as Mac Roman before a file's titles are repaired.</summary>
    public const int MinimumGarbledTitles = 2;

    /// <summary>
    /// How far ahead a release may be announced (Avatar 5 was dated about nine years ahead): a later date, up to
    /// <see cref="LatestTwoDigitYear"/>, is a two-digit year in the wrong century and moves back 100 years; a date
    /// between today and this is dropped (a release to come, or an error: no telling), unless the file's own years
    /// show it misdated (<see cref="ReleaseYearEvidence"/>).
    /// </summary>
    public const int AnnouncedYears = 10;

    /// <summary>The latest year a two-digit year is read as (Python's strptime: 00–68 → 2000s; .NET's default: 00–49).</summary>
    public const int LatestTwoDigitYear = 2068;

    /// <summary>The earliest: a two-digit year read in the wrong century lands in the 2000s.</summary>
    public const int EarliestTwoDigitYear = 2000;

    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["id"] = "id", ["title"] = "title", ["name"] = "title", ["kind"] = "kind", ["type"] = "kind",
        ["year"] = "year", ["releasedate"] = "releaseDate", ["released"] = "releaseDate",
        ["genre"] = "genres", ["genres"] = "genres", ["majorgenre"] = "genres",
        ["creativetype"] = "creativeType", ["source"] = "source", ["director"] = "director",
        ["mpaa"] = "mpaaRating", ["mpaarating"] = "mpaaRating", ["rating"] = "mpaaRating",
        ["runtime"] = "runtimeMinutes", ["runtimeminutes"] = "runtimeMinutes", ["runningtimemin"] = "runtimeMinutes",
        ["imdbrating"] = "imdbRating", ["imdbvotes"] = "imdbVotes", ["description"] = "description", ["overview"] = "description",
    };

    /// <summary>The kinds of item there are; the first is the default.</summary>
    private static readonly string[] Kinds = ["film", "series"];

    /// <summary>
    /// Longest slug a generated id starts with: with "-" and a year (or "undated") and a "-n" for a repeat, the id stays
    /// well within <see cref="SearchLimits.MaxItemIdLength"/>.
    /// </summary>
    public const int MaxSlugLength = 100;

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "MMM d yyyy", "MMM dd yyyy", "d-MMM-yy", "yyyy"];

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public CatalogImportResult ImportFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Import(stream);
    }

    /// <summary>Imports the records of <paramref name="stream"/>; throws <see cref="CatalogFileException"/> when it is not a valid JSON array.</summary>
    public CatalogImportResult Import(Stream stream)
    {
        var records = CatalogRecordReader.Read(stream);
        var rejected = new List<string>();

        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        // Text garbled in export is a property of the file: titles are repaired only when several show it, so one odd
        // title in a clean file ("Paral·lel", Catalan) stays as written.
        var fields = records.Select(r => r.Problem is null ? Fields(r.Object) : default).ToArray();
        var repairTitles = fields.Count(f => f.Known is not null && Text(f.Known, "title") is { } title && MojibakeRepair.TryRepair(title, out _))
            >= MinimumGarbledTitles;
        var items = new List<CatalogItem>(records.Count);
        var sourceRecords = new List<int>(records.Count);
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        // Ids a record states are the catalog's own (links, liked lists point at them): a generated id never takes one.
        var statedIds = fields.Where(f => f.Known is not null).Select(f => Text(f.Known, "id")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var lastYearOfBody = ReleaseYearEvidence.LastYearOfBody(fields.Select(f => f.Known is null ? null : StatedYear(f.Known)).OfType<int>());
        var flagged = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var (where, _, problem) = records[i];
            if (problem is not null)
            {
                rejected.Add($"{where}: {problem}");
                continue;
            }
            var item = Clean(fields[i].Known, fields[i].Others, today, lastYearOfBody, usedIds, statedIds, repairTitles, out var reason);
            if (item is null)
            {
                rejected.Add($"{where}: {reason}");
                continue;
            }
            if (item.Flags.Count > 0) flagged++;
            items.Add(item);
            sourceRecords.Add(i);
        }
        return new CatalogImportResult(items, new CatalogImportReport(records.Count, items.Count, rejected, flagged)) { SourceRecords = sourceRecords };
    }

    /// <summary>A record's fields: those the schema knows, by canonical name, and the others as they came.</summary>
    private static (Dictionary<string, JsonElement> Known, List<(string Name, string Key, JsonElement Value)> Others) Fields(JsonElement record)
    {
        var fields = new Dictionary<string, JsonElement>();
        var others = new List<(string Name, string Key, JsonElement Value)>();
        foreach (var p in record.EnumerateObject())
        {
            var key = new string(p.Name.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
            if (Aliases.TryGetValue(key, out var canonical)) fields[canonical] = p.Value;
            else others.Add((p.Name, key, p.Value));
        }
        return (fields, others);
    }

    private static CatalogItem? Clean(Dictionary<string, JsonElement> fields, List<(string Name, string Key, JsonElement Value)> others, DateOnly today,
        int? lastYearOfBody, HashSet<string> usedIds, IReadOnlySet<string> statedIds, bool repairTitles, out string? reason)
    {
        // A stated id used twice: the second record cannot have it, and renaming it would break whatever points at it.
        var stated = Text(fields, "id");
        if (stated is not null && usedIds.Contains(stated))
        {
            reason = $"id '{Quoted(stated)}' is already used by an earlier record";
            return null;
        }
        // An id no request could name would leave an item nobody can look up, like or exclude.
        if (stated is not null && CatalogItemIds.Problem(stated) is { } idProblem)
        {
            reason = $"id '{Quoted(stated)}' {idProblem}";
            return null;
        }

        var flags = new List<string>();
        var title = CatalogText.Clean(Text(fields, "title"), "title", CatalogImportLimits.MaxTitleLength, flags);
        if (title is null)
        {
            reason = "has no title";
            return null;
        }

        var kind = Text(fields, "kind");
        if (kind is not null && !Kinds.Contains(kind.ToLowerInvariant()))
        {
            reason = $"kind '{Quoted(kind)}' is not one of {string.Join(", ", Kinds)}";
            return null;
        }

        if (repairTitles && MojibakeRepair.TryRepair(title, out var repaired))
        {
            flags.Add($"titleEncodingRepaired: {title}");
            title = repaired;
        }
        var releaseRaw = Text(fields, "releaseDate");
        DateOnly? releaseDate = null;
        int? year = Integer(fields, "year", flags);
        if (releaseRaw is not null)
        {
            if (DateOnly.TryParseExact(releaseRaw, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                releaseDate = parsed;
                year ??= parsed.Year;
            }
            else
            {
                flags.Add($"releaseDateUnparseable: {releaseRaw}");
            }
        }
        if (year is { } y)
        {
            var date = releaseDate ?? (y is >= 1 and <= 9999 ? new DateOnly(y, 1, 1) : null);
            var misdated = date > today.AddYears(AnnouncedYears) || y > lastYearOfBody;
            if (misdated && y is >= EarliestTwoDigitYear and <= LatestTwoDigitYear && y - 100 >= FirstFilmYear)
            {
                // Further ahead than releases are announced, or past the file's own releases, and a year a two-digit
                // year can be read as: one put in the wrong century (the demo source turned 1946 into 2046). Keep the
                // item a century earlier, say so.
                flags.Add($"releaseDateCenturyCorrected: {releaseRaw ?? y.ToString(CultureInfo.InvariantCulture)}");
                year = y - 100;
                releaseDate = releaseDate?.AddYears(-100);
            }
            else if (date is null || y < FirstFilmYear || date > today)
            {
                // After today (a release still to come, or an error: no telling), before films existed, or no year at
                // all (0 for "unknown"): not a released work's date. Keep the item, drop the date, and say so.
                flags.Add($"releaseDateImpossible: {releaseRaw ?? y.ToString(CultureInfo.InvariantCulture)}");
                year = null;
                releaseDate = null;
            }
        }

        var runtime = Integer(fields, "runtimeMinutes", flags);
        if (runtime is <= 0 or > 1000)
        {
            flags.Add($"runtimeImpossible: {runtime}");
            runtime = null;
        }
        var imdbRating = Number(fields, "imdbRating", flags);
        if (imdbRating is < 0 or > 10)
        {
            flags.Add($"imdbRatingOutOfRange: {imdbRating}");
            imdbRating = null;
        }
        var votes = Integer(fields, "imdbVotes", flags);
        if (votes < 0)
        {
            flags.Add($"imdbVotesImpossible: {votes}");
            votes = null;
        }

        var attributes = ReadAttributes(others, flags);

        var unique = stated ?? $"{Slug(title)}-{year?.ToString(CultureInfo.InvariantCulture) ?? "undated"}";
        if (stated is not null) usedIds.Add(stated);
        else
            for (var (generated, n) = (unique, 2); statedIds.Contains(unique) || !usedIds.Add(unique); n++) unique = $"{generated}-{n}";

        var item = new CatalogItem
        {
            Id = unique,
            Title = title,
            Kind = kind?.ToLowerInvariant() ?? Kinds[0],
            Year = year,
            ReleaseDate = releaseDate,
            Genres = CatalogText.CleanAll(TextList(fields, "genres"), "genres", CatalogImportLimits.MaxShortTextLength, flags).Distinct().ToArray(),
            CreativeType = ShortText(fields, "creativeType", flags),
            Source = ShortText(fields, "source", flags),
            Director = ShortText(fields, "director", flags),
            MpaaRating = ShortText(fields, "mpaaRating", flags),
            RuntimeMinutes = runtime,
            ImdbRating = imdbRating,
            ImdbVotes = votes,
            Description = CatalogText.Clean(Text(fields, "description"), "description", CatalogImportLimits.MaxLongTextLength, flags),
            Attributes = attributes,
            Flags = flags,
            EmbeddingText = "",
        };
        reason = null;
        return item with { EmbeddingText = EmbeddingTextFor(item) };
    }

    /// <summary>
    /// The sentence the model embeds. Words rather than codes ("1980s horror film", not "Horror|1984") so
    /// that queries in plain language land near it.
    /// </summary>
    public static string EmbeddingTextFor(CatalogItem item)
    {
        var sb = new StringBuilder(item.Title);
        if (item.Year is { } year) sb.Append(" (").Append(year).Append(')');
        sb.Append(". ");
        var kind = item.Kind == "series" ? "series" : "film";
        var decade = item.Year is { } y ? $"{y / 10 * 10}s " : "";
        sb.Append(decade).Append(item.Genres.Count > 0 ? string.Join(", ", item.Genres).ToLowerInvariant() + " " : "").Append(kind).Append('.');
        if (item.CreativeType is not null) sb.Append(' ').Append(item.CreativeType).Append('.');
        if (item.Source is not null) sb.Append(' ').Append(item.Source).Append('.');
        if (item.Director is not null) sb.Append(" Directed by ").Append(item.Director).Append('.');
        if (item.MpaaRating is not null) sb.Append(" Rated ").Append(item.MpaaRating).Append('.');
        if (item.Description is not null) sb.Append(' ').Append(item.Description);
        return sb.ToString();
    }

    private static readonly Dictionary<string, string> DeclaredByAlias = CatalogAttributes.Declared
        .SelectMany(d => d.Value.Aliases.Select(a => (Alias: a, Name: d.Key))).ToDictionary(x => x.Alias, x => x.Name);

    /// <summary>
    /// Every field that is not a fixed one, typed: declared attributes (<see cref="CatalogAttributes"/>) by their
    /// declared kind, any other by its JSON value (number → Number; a string in a known date format → Date;
    /// a short string → Category; a long one → Text). Missing values get no entry.
    /// </summary>
    private static Dictionary<string, AttributeValue> ReadAttributes(List<(string Name, string Key, JsonElement Value)> fields, List<string> flags)
    {
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var (rawName, key, value) in fields)
        {
            if (key.Length == 0) continue;
            if (DeclaredByAlias.TryGetValue(key, out var name))
            {
                var kind = CatalogAttributes.Declared[name].Kind;
                var declared = new Dictionary<string, JsonElement> { [name] = value };
                if (kind == AttributeKind.Number)
                {
                    if (Number(declared, name, flags) is not { } n) continue;
                    if (CatalogAttributes.IsMoney(name) && n <= 0) continue; // 0 means "not known" for money
                    if (name == CatalogAttributes.RottenTomatoesRating && n is < 0 or > 100)
                    {
                        flags.Add($"rottenTomatoesRatingOutOfRange: {n.ToString(CultureInfo.InvariantCulture)}");
                        continue;
                    }
                    attributes[name] = AttributeValue.OfNumber(n);
                }
                else if (CatalogText.Clean(Text(declared, name), name, kind == AttributeKind.Text ? CatalogImportLimits.MaxLongTextLength : CatalogImportLimits.MaxShortTextLength, flags) is { } text)
                {
                    attributes[name] = kind == AttributeKind.Text ? AttributeValue.OfText(text) : AttributeValue.OfCategory(text);
                }
                continue;
            }

            name = CamelCase(rawName);
            if (name.Length == 0 || attributes.ContainsKey(name)) continue;
            var single = new Dictionary<string, JsonElement> { [name] = value };
            if (value.ValueKind == JsonValueKind.Number)
            {
                if (Number(single, name, flags) is { } d) attributes[name] = AttributeValue.OfNumber(d);
            }
            else if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                attributes[name] = AttributeValue.OfCategory(value.GetBoolean() ? "true" : "false");
            else if (CatalogText.Clean(Text(single, name), name, CatalogImportLimits.MaxLongTextLength, flags) is { } text)
                attributes[name] = DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? AttributeValue.OfDate(date)
                    : text.Length <= CatalogAttributes.CategoryMaxLength ? AttributeValue.OfCategory(text) : AttributeValue.OfText(text);
        }
        return attributes;
    }

    /// <summary>"US DVD Sales" → "usDvdSales", "box_office" → "boxOffice": the name an undeclared attribute is kept under.</summary>
    public static string CamelCase(string fieldName)
    {
        var words = fieldName.Split([' ', '_', '-', '.'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsAsciiLetterOrDigit).ToArray())).Where(w => w.Length > 0).ToArray();
        if (words.Length == 0) return "";
        var sb = new StringBuilder();
        for (var i = 0; i < words.Length; i++)
        {
            var w = words[i];
            var allUpper = w.All(c => !char.IsLetter(c) || char.IsUpper(c));
            var lower = allUpper ? w.ToLowerInvariant() : w;
            sb.Append(i == 0 ? char.ToLowerInvariant(lower[0]) + lower[1..] : char.ToUpperInvariant(lower[0]) + lower[1..]);
        }
        return sb.ToString();
    }

    private static string? Text(Dictionary<string, JsonElement> f, string name)
    {
        if (!f.TryGetValue(name, out var e)) return null;
        var s = e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.GetRawText(), // titles such as "1776" or "300" arrive as numbers
            _ => null,
        };
        s = s?.Trim();
        return IsMissing(s) ? null : s;
    }

    private static string? ShortText(Dictionary<string, JsonElement> f, string name, List<string> flags) =>
        CatalogText.Clean(Text(f, name), name, CatalogImportLimits.MaxShortTextLength, flags);

    /// <summary>How sources write "unknown": empty, "null", "N/A", "-".</summary>
    private static bool IsMissing(string? s) =>
        string.IsNullOrWhiteSpace(s) || s.Trim() is var t && (t.Equals("null", StringComparison.OrdinalIgnoreCase) || t.Equals("n/a", StringComparison.OrdinalIgnoreCase) || t == "-");

    private static IReadOnlyList<string> TextList(Dictionary<string, JsonElement> f, string name)
    {
        if (f.TryGetValue(name, out var e) && e.ValueKind == JsonValueKind.Array)
            return e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!.Trim())
                .Where(x => x.Length > 0 && !x.Equals("null", StringComparison.OrdinalIgnoreCase)).ToArray();
        return Text(f, name) is { } single ? [single] : [];
    }

    /// <summary>
    /// A number field: a JSON number, or a string that is one in the invariant culture ("7.5", "1e3"). One that is there
    /// but is no finite number ("nineteen", "1,234", "$5 million", "NaN", 1e400) is unknown and flagged: no guess is
    /// made at what a formatted string meant ("1,5" is 1.5 in much of Europe). The ways sources write "unknown" ("N/A",
    /// "-", "null", "") are just unknown.
    /// </summary>
    private static double? Number(Dictionary<string, JsonElement> f, string name, List<string> flags)
    {
        if (!f.TryGetValue(name, out var e) || e.ValueKind == JsonValueKind.Null || e.ValueKind == JsonValueKind.String && IsMissing(e.GetString())) return null;
        var value = e.ValueKind switch
        {
            JsonValueKind.Number => e.TryGetDouble(out var d) ? d : double.NaN,
            JsonValueKind.String => double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN,
            _ => double.NaN,
        };
        if (double.IsFinite(value)) return value;
        flags.Add($"{name}Unreadable: {Raw(e)}");
        return null;
    }

    /// <summary>A whole-number field as <see cref="Number"/> reads it, rounded; one no int holds is unknown and flagged too.</summary>
    private static int? Integer(Dictionary<string, JsonElement> f, string name, List<string> flags)
    {
        if (Number(f, name, flags) is not { } d) return null;
        if (d is >= int.MinValue and <= int.MaxValue) return (int)Math.Round(d);
        flags.Add($"{name}Unreadable: {Raw(f[name])}");
        return null;
    }

    /// <summary>A value as the record wrote it, quoted for a flag.</summary>
    private static string Raw(JsonElement e) => Quoted(e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText());

    /// <summary>A value quoted in a report: at most 80 characters, control characters escaped.</summary>
    private static string Quoted(string text) => MediaGateway.Contracts.SafeText.Escape(text, 80);

    /// <summary>The year a record states, in its year or its release date, before any check (its flags are raised when it is cleaned).</summary>
    private static int? StatedYear(Dictionary<string, JsonElement> f) =>
        Integer(f, "year", flags: []) ?? (DateOnly.TryParseExact(Text(f, "releaseDate"), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date.Year : null);

    /// <summary>
    /// "Star Wars Ep. IV: A New Hope" → "star-wars-ep-iv-a-new-hope": ASCII letters, digits and single hyphens, at most
    /// <see cref="MaxSlugLength"/> characters, so an id made from it is always one the API can address.
    /// </summary>
    public static string Slug(string title)
    {
        var folded = TextFolding.FoldAccents(title).ToLowerInvariant();
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (sb.Length == MaxSlugLength) break;
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        return sb.ToString().Trim('-') is { Length: > 0 } slug ? slug : "untitled";
    }
}
