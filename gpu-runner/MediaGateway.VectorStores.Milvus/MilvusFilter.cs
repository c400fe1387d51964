using System.Globalization;
using System.Text;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.VectorStores.Milvus;

/// <summary>
/// The one place that writes Milvus filter expressions. Field names come only from <see cref="MilvusSchema"/>;
/// every value a caller supplied is written as an escaped string literal or a formatted finite number, so no
/// caller text can become expression syntax (quotes, backslashes, <c>||</c>, <c>%</c>, brackets stay data).
/// </summary>
public static class MilvusFilter
{
    /// <summary>The records of <paramref name="catalog"/> that <paramref name="filter"/> allows (all of them when null).</summary>
    public static string For(string catalog, VectorFilter? filter)
    {
        var expression = new StringBuilder();
        expression.Append(MilvusSchema.Catalog).Append(" == ").Append(Literal(catalog));
        foreach (var clause in filter?.Clauses ?? [])
            expression.Append(" and (").Append(Clause(clause)).Append(')');
        return expression.ToString();
    }

    /// <summary>These items of <paramref name="catalog"/>, by primary key (for deletes).</summary>
    public static string ForIds(string catalog, IEnumerable<string> ids) =>
        $"{MilvusSchema.PrimaryKey} in {List(ids.Select(id => PrimaryKeyOf(catalog, id)))}";

    /// <summary>The primary key of an item: unique across catalogs because a catalog name never holds '/'.</summary>
    public static string PrimaryKeyOf(string catalog, string id) => $"{catalog}/{id}";

    /// <summary>How text facets are stored and compared: lower-case, so that filters ignore case.</summary>
    public static string Fold(string value) => value.ToLowerInvariant();

    private static string Clause(FilterClause clause) => clause switch
    {
        AnyOfClause { Field: FilterField.Genre } c when c.Values.Count == 0 => "false",
        AnyOfClause { Field: FilterField.Genre } c => $"ARRAY_CONTAINS_ANY({MilvusSchema.FieldOf(c.Field)}, {List(c.Values.Select(Fold))})",
        AnyOfClause c when c.Values.Count == 0 => "false",
        AnyOfClause c => $"{MilvusSchema.FieldOf(c.Field)} in {List(c.Values.Select(Fold))}",
        RangeClause { Min: null, Max: null } c => $"{MilvusSchema.FieldOf(c.Field)} is not null",
        RangeClause c => string.Join(" and ", new[]
        {
            c.Min is { } min ? $"{MilvusSchema.FieldOf(c.Field)} >= {Number(min)}" : null,
            c.Max is { } max ? $"{MilvusSchema.FieldOf(c.Field)} <= {Number(max)}" : null,
        }.OfType<string>()),
        IncludeIdsClause c when c.Ids.Count == 0 => "false",
        IncludeIdsClause c => $"{MilvusSchema.ItemId} in {List(c.Ids)}",
        ExcludeIdsClause c when c.Ids.Count == 0 => "true",
        ExcludeIdsClause c => $"{MilvusSchema.ItemId} not in {List(c.Ids)}",
        AnyClause c when c.Clauses.Count == 0 => "false",
        AnyClause c => string.Join(" or ", c.Clauses.Select(inner => $"({Clause(inner)})")),
        _ => throw new NotSupportedException($"No Milvus translation for {clause.GetType().Name}."),
    };

    private static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Literal)) + "]";

    /// <summary>A double-quoted string literal: backslash, quote and control characters escaped, everything else as is.</summary>
    internal static string Literal(string value)
    {
        var literal = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': literal.Append(@"\\"); break;
                case '"': literal.Append("\\\""); break;
                case '\n': literal.Append(@"\n"); break;
                case '\r': literal.Append(@"\r"); break;
                case '\t': literal.Append(@"\t"); break;
                case < ' ': literal.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: literal.Append(c); break;
            }
        }
        return literal.Append('"').ToString();
    }

    /// <summary>A finite number in plain decimal notation (never an exponent, never a culture's comma).</summary>
    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("0.###############", CultureInfo.InvariantCulture) : throw new ArgumentException("Filter numbers must be finite.");
}
