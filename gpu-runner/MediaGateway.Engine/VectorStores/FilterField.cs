namespace MediaGateway.Engine.VectorStores;

/// <summary>The catalog facets a filter may test. Text facets compare case-insensitively; number facets by range.</summary>
public enum FilterField
{
    Genre,
    CreativeType,
    MpaaRating,
    Source,
    Director,
    Year,
    RuntimeMinutes,
    ImdbRating,
}
