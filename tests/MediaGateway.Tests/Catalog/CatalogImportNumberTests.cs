using MediaGateway.Engine.Catalog;
using static MediaGateway.Tests.Catalog.CatalogFiles;

namespace MediaGateway.Tests.Catalog;

/// <summary>
/// Numbers written as messy strings are not guessed at: a value that does not read as a number becomes unknown
/// (null, never 0) and is flagged; "unknown" written as "n/a", "-" or "" is simply unknown. The fixed fields' cases are
/// in CatalogImporterTests (A_number_that_is_not_one_is_flagged_not_dropped_in_silence).
/// </summary>
public sealed class CatalogImportNumberTests
{
    [Theory]
    [InlineData("Production Budget", "\"$5 million\"", "productionBudgetUnreadable: $5 million")]
    [InlineData("US Gross", "\"1,234\"", "usGrossUnreadable: 1,234")]
    [InlineData("Rotten Tomatoes Rating", "\"n.a.\"", "rottenTomatoesRatingUnreadable: n.a.")]
    [InlineData("Worldwide Gross", "1e400", "worldwideGrossUnreadable: 1e400")]
    public void A_declared_number_attribute_that_does_not_read_is_unknown_and_flagged(string field, string json, string flag)
    {
        var result = Import($$"""[{"Title":"X","{{field}}":{{json}}}]""");

        var item = Assert.Single(result.Items);
        Assert.Equal([flag], item.Flags);
        Assert.Empty(item.Attributes);
        Assert.Equal(1, result.Report.Flagged);
    }

    [Theory]
    [InlineData("\"n/a\"")]
    [InlineData("\"N/A\"")]
    [InlineData("\"-\"")]
    [InlineData("\"\"")]
    [InlineData("null")]
    public void Unknown_written_as_unknown_is_unknown_without_a_flag(string json)
    {
        var item = Assert.Single(Import($$"""[{"Title":"X","IMDB Votes":{{json}},"Production Budget":{{json}}}]""").Items);

        Assert.Null(item.ImdbVotes);
        Assert.Null(item.NumberOf(CatalogAttributes.ProductionBudget));
        Assert.Empty(item.Flags);
    }
}
