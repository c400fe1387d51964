namespace MediaGateway.Engine.Catalog;

/// <summary>What kind of value a catalog attribute holds; decides how queries can constrain it.</summary>
public enum AttributeKind
{
    /// <summary>A number (money in US dollars, ratings, counts): ranges and thresholds apply.</summary>
    Number,
    /// <summary>A calendar date: before/after/between apply.</summary>
    Date,
    /// <summary>A short label from a small vocabulary (distributor, country): equality applies.</summary>
    Category,
    /// <summary>Free text: searched by words only.</summary>
    Text,
}

/// <summary>
/// One typed attribute value of a catalog item. A value that is unknown is not stored at all (the item has
/// no entry for that attribute), so "unknown" can never be mistaken for 0 or for an empty string.
/// </summary>
public readonly record struct AttributeValue(AttributeKind Kind, double Number = 0, DateOnly Date = default, string? Text = null)
{
    public static AttributeValue OfNumber(double value) => new(AttributeKind.Number, Number: value);
    public static AttributeValue OfDate(DateOnly value) => new(AttributeKind.Date, Date: value);
    public static AttributeValue OfCategory(string value) => new(AttributeKind.Category, Text: value);
    public static AttributeValue OfText(string value) => new(AttributeKind.Text, Text: value);

    public override string ToString() => Kind switch
    {
        AttributeKind.Number => Number.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
        AttributeKind.Date => Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        _ => Text ?? "",
    };
}
