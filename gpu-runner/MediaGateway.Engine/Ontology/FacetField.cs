namespace MediaGateway.Engine.Ontology;

/// <summary>The categorical fields of a catalog item that a concept or a filter can name.</summary>
public enum FacetField
{
    Genre,
    CreativeType,
    Source,
    MpaaRating,
    Kind,
    Director,
    Distributor,
}

/// <summary>A value of a facet field: genre = Horror. Values compare without regard to case.</summary>
public sealed record FacetValue(FacetField Field, string Value)
{
    /// <summary>The field names used in the ontology file and in explanations ("genre", "creativeType"…).</summary>
    public static string NameOf(FacetField field) => field switch
    {
        FacetField.Genre => "genre",
        FacetField.CreativeType => "creativeType",
        FacetField.Source => "source",
        FacetField.MpaaRating => "mpaaRating",
        FacetField.Kind => "kind",
        FacetField.Director => "director",
        FacetField.Distributor => "distributor",
        _ => field.ToString(),
    };

    public static bool TryParseField(string name, out FacetField field)
    {
        foreach (var f in Enum.GetValues<FacetField>())
        {
            if (!string.Equals(NameOf(f), name, StringComparison.OrdinalIgnoreCase)) continue;
            field = f;
            return true;
        }
        field = default;
        return false;
    }

    public bool Equals(FacetValue? other) =>
        other is not null && Field == other.Field && string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => HashCode.Combine(Field, StringComparer.OrdinalIgnoreCase.GetHashCode(Value));

    public override string ToString() => $"{NameOf(Field)} {Value}";
}
