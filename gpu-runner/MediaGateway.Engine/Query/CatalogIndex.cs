using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Engine.Query;

/// <summary>
/// Per-attribute indexes over the catalog, built once: a posting bitset per facet value and a sorted column
/// per numeric attribute. A constraint becomes a row set by set operations and binary searches, never by a
/// predicate run over every item for every query.
/// </summary>
public sealed class CatalogIndex
{
    private readonly Dictionary<FacetValue, RowFilter> _postings = new();
    private readonly Dictionary<string, (double[] Values, int[] Rows)> _columns = new(StringComparer.Ordinal);
    private readonly RowFilter _empty;
    private readonly Lazy<string[]?[]> _mentionWords;

    public CatalogIndex(ICatalogStore catalog)
    {
        Catalog = catalog;
        Rows = catalog.Count;
        _empty = new RowFilter(Rows);
        _mentionWords = new Lazy<string[]?[]>(() => new string[]?[catalog.Count]);
        for (var row = 0; row < catalog.Count; row++)
        {
            var item = catalog[row];
            foreach (var field in Enum.GetValues<FacetField>())
            foreach (var value in ValuesOf(item, field))
            {
                var key = new FacetValue(field, value);
                if (!_postings.TryGetValue(key, out var set)) _postings[key] = set = new RowFilter(Rows);
                set.Set(row);
            }
        }
        foreach (var attribute in NumericAttribute.All)
        {
            var known = Enumerable.Range(0, catalog.Count).Select(r => (Row: r, Value: attribute.Read(catalog[r])))
                .Where(x => x.Value is { } v && double.IsFinite(v)).OrderBy(x => x.Value).ThenBy(x => x.Row).ToArray();
            _columns[attribute.Name] = (known.Select(x => x.Value!.Value).ToArray(), known.Select(x => x.Row).ToArray());
        }
    }

    public ICatalogStore Catalog { get; }

    public int Rows { get; }

    /// <summary>Every distinct value of a facet field in the catalog, with how many items have it.</summary>
    public IEnumerable<(string Value, int Count)> ValuesOf(FacetField field) =>
        _postings.Where(p => p.Key.Field == field).Select(p => (p.Key.Value, p.Value.Count()));

    public RowFilter Postings(FacetValue value) => _postings.GetValueOrDefault(value) ?? _empty;

    /// <summary>
    /// The words of row <paramref name="row"/>'s title, description and distributor as <see cref="MentionConstraint"/> compares them,
    /// read once per row on first use (only exclusions of what the catalog has no value for ask).
    /// </summary>
    public string[] MentionWords(int row)
    {
        var words = _mentionWords.Value;
        return words[row] ??= MentionWordsOf(Catalog[row]);
    }

    /// <summary>
    /// The words of an item's title, description and distributor as <see cref="MentionConstraint"/> compares them ("not
    /// disney" names the studio as often as a title). An empty word stands between the parts, so no phrase spans two.
    /// </summary>
    public static string[] MentionWordsOf(CatalogItem item) =>
        new[] { item.Title, item.Description, item.TextOf(CatalogAttributes.Distributor) }.OfType<string>()
            .Select(MentionConstraint.WordsOf).Aggregate((all, part) => [.. all, "", .. part]);

    /// <summary>Whether any item has the value (case-insensitive).</summary>
    public bool Has(FacetValue value) => _postings.ContainsKey(value);

    /// <summary>
    /// The known value of <paramref name="attribute"/> below which the share <paramref name="q"/> (0–1) of the catalog's
    /// known values lie: 0 is the smallest, 1 the largest; null when no item knows it.
    /// </summary>
    public double? Quantile(NumericAttribute attribute, double q)
    {
        var values = _columns.TryGetValue(attribute.Name, out var column) ? column.Values
            : Catalog.Items.Select(attribute.Read).OfType<double>().Where(double.IsFinite).Order().ToArray();
        return values.Length == 0 ? null : values[(int)Math.Round(Math.Clamp(q, 0, 1) * (values.Length - 1))];
    }

    /// <summary>The rows whose value of <paramref name="attribute"/> is known and in [min, max].</summary>
    public RowFilter Range(NumericAttribute attribute, double? min, double? max)
    {
        var result = new RowFilter(Rows);
        if (!_columns.TryGetValue(attribute.Name, out var column))
        {
            // An attribute built after the index (none today): fall back to reading each item.
            for (var row = 0; row < Rows; row++)
                if (attribute.Read(Catalog[row]) is { } v && !(v < min) && !(v > max)) result.Set(row);
            return result;
        }
        var from = min is { } lo ? LowerBound(column.Values, lo) : 0;
        var to = max is { } hi ? UpperBound(column.Values, hi) : column.Values.Length;
        for (var i = from; i < to; i++) result.Set(column.Rows[i]);
        return result;
    }

    /// <summary>The values of a facet field an item has (several genres; one creative type; none when unknown).</summary>
    public static IEnumerable<string> ValuesOf(CatalogItem item, FacetField field) =>
        field == FacetField.Genre ? item.Genres : SingleValueOf(item, field) is { } value ? [value] : [];

    /// <summary>
    /// Whether the item has <paramref name="value"/> in <paramref name="field"/> (case-insensitive): what
    /// <see cref="ValuesOf(CatalogItem, FacetField)"/> holds, read without enumerating, since the enrich stage asks
    /// it for every candidate and every facet of every concept the query prefers.
    /// </summary>
    public static bool HasValue(CatalogItem item, FacetField field, string value)
    {
        if (field != FacetField.Genre) return string.Equals(SingleValueOf(item, field), value, StringComparison.OrdinalIgnoreCase);
        for (var i = 0; i < item.Genres.Count; i++)
            if (string.Equals(item.Genres[i], value, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>The value of a field that holds at most one (every field but genre).</summary>
    private static string? SingleValueOf(CatalogItem item, FacetField field) => field switch
    {
        FacetField.CreativeType => item.CreativeType,
        FacetField.Source => item.Source,
        FacetField.MpaaRating => item.MpaaRating,
        FacetField.Kind => item.Kind,
        FacetField.Director => item.Director,
        FacetField.Distributor => item.TextOf(CatalogAttributes.Distributor),
        _ => null,
    };

    private static int LowerBound(double[] values, double x)
    {
        int lo = 0, hi = values.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (values[mid] < x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int UpperBound(double[] values, double x)
    {
        int lo = 0, hi = values.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (values[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
