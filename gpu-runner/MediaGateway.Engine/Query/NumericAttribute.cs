using System.Globalization;
using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.Query;

/// <summary>
/// A number an item may know: a fixed field (year, runtime, IMDB rating) or a typed catalog attribute
/// (budget, gross, Rotten Tomatoes rating), or one derived from them (gross ÷ budget). Null = unknown.
/// </summary>
public sealed record NumericAttribute(string Name, string Label, Func<CatalogItem, double?> Read, Func<double, string> Format)
{
    public static readonly NumericAttribute Year = new("year", "released", i => i.Year, v => v.ToString("0", CultureInfo.InvariantCulture));
    public static readonly NumericAttribute Runtime = new("runtimeMinutes", "runs", i => i.RuntimeMinutes, v => $"{v:0} min");
    public static readonly NumericAttribute ImdbRating = new("imdbRating", "rated", i => i.ImdbRating, v => v.ToString("0.0", CultureInfo.InvariantCulture));
    public static readonly NumericAttribute RottenTomatoes = new(CatalogAttributes.RottenTomatoesRating, "Rotten Tomatoes", i => i.NumberOf(CatalogAttributes.RottenTomatoesRating), v => $"{v:0}%");
    public static readonly NumericAttribute Budget = new(CatalogAttributes.ProductionBudget, "budget", i => i.NumberOf(CatalogAttributes.ProductionBudget), Money);
    public static readonly NumericAttribute WorldwideGross = new(CatalogAttributes.WorldwideGross, "grossed", i => i.NumberOf(CatalogAttributes.WorldwideGross), Money);
    public static readonly NumericAttribute UsGross = new(CatalogAttributes.UsGross, "grossed in the US", i => i.NumberOf(CatalogAttributes.UsGross), Money);
    /// <summary>Worldwide gross ÷ production budget: above 1 the film earned back its cost in cinemas.</summary>
    public static readonly NumericAttribute ReturnOnBudget = new("returnOnBudget", "earned", i =>
        i.NumberOf(CatalogAttributes.WorldwideGross) is { } g && i.NumberOf(CatalogAttributes.ProductionBudget) is { } b and > 0 ? g / b : null,
        v => $"{v:0.0}× its budget");

    public static IReadOnlyList<NumericAttribute> All { get; } = [Year, Runtime, ImdbRating, RottenTomatoes, Budget, WorldwideGross, UsGross, ReturnOnBudget];

    public static string Money(double dollars) => dollars >= 1e9
        ? $"${(dollars / 1e9).ToString("0.##", CultureInfo.InvariantCulture)} billion"
        : $"${(dollars / 1e6).ToString("0.#", CultureInfo.InvariantCulture)} million";
}
