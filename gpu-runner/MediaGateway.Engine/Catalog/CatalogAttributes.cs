namespace MediaGateway.Engine.Catalog;

/// <summary>
/// The attributes that the engine knows by name beyond the fixed fields of <see cref="CatalogItem"/>, with
/// their declared kinds and the spellings a source may use (matched ignoring case, spaces and underscores).
/// Any other field of a record is kept too, under its own name, with a kind inferred from its JSON value
/// (docs/catalog-format.md).
/// </summary>
public static class CatalogAttributes
{
    public const string ProductionBudget = "productionBudget";
    public const string UsGross = "usGross";
    public const string WorldwideGross = "worldwideGross";
    public const string UsDvdSales = "usDvdSales";
    public const string RottenTomatoesRating = "rottenTomatoesRating";
    public const string Distributor = "distributor";

    /// <summary>Declared attribute → (kind, aliases). Money is in US dollars; a Rotten Tomatoes rating is 0–100.</summary>
    public static readonly IReadOnlyDictionary<string, (AttributeKind Kind, string[] Aliases)> Declared =
        new Dictionary<string, (AttributeKind, string[])>
        {
            [ProductionBudget] = (AttributeKind.Number, ["productionbudget", "budget"]),
            [UsGross] = (AttributeKind.Number, ["usgross", "domesticgross"]),
            [WorldwideGross] = (AttributeKind.Number, ["worldwidegross", "gross", "boxoffice"]),
            [UsDvdSales] = (AttributeKind.Number, ["usdvdsales", "dvdsales"]),
            [RottenTomatoesRating] = (AttributeKind.Number, ["rottentomatoesrating", "rottentomatoes", "rtrating"]),
            [Distributor] = (AttributeKind.Category, ["distributor", "studio"]),
        };

    /// <summary>Money attributes: a value of 0 or less means "not known" in the sources we have seen (a film with no US release has US gross 0).</summary>
    public static bool IsMoney(string name) => name is ProductionBudget or UsGross or WorldwideGross or UsDvdSales;

    /// <summary>Free-text fields longer than this are <see cref="AttributeKind.Text"/>, shorter ones <see cref="AttributeKind.Category"/>.</summary>
    public const int CategoryMaxLength = 60;
}
