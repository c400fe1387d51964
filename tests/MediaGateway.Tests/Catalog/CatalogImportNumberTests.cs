using MediaGateway.Engine.Catalog;
using static MediaGateway.Tests.Catalog.CatalogFiles;

namespace MediaGateway.Tests.Catalog;

/// <summary>
/// Numbers written as messy strings are not guessed at: a value that does not read as a number becomes unknown
/// (null, never 0) and is flagged; "unknown" written as "n/a", "-" or "" is simply unknown.
/// </summary>
public sealed class CatalogImportNumberTests
{
    [Theory]
    [InlineData("IMDB Votes", "\"1,234\"", "imdbVotesUnreadable: 1,234")]
    [InlineData("Running Time min", "\"1h 57m\"", "runtimeMinutesUnreadable: 1h 57m")]
    [InlineData("IMDB Rating", "\"NaN\"", "imdbRatingUnreadable: NaN")]
    [InlineData("IMDB Rating", "\"Infinity\"", "imdbRatingUnreadable: Infinity")]
    [InlineData("year", "1e400", "yearUnreadable: 1e400")]
    [InlineData("year", "1e10", "yearUnreadable: 1e10")]
    [InlineData("IMDB Votes", "-5", "imdbVotesImpossible: -5")]
    public void A_fixed_number_field_that_does_not_read_is_unknown_and_flagged(string field, string json, string flag)
    {
        var result = Import($$"""[{"Title":"X","{{field}}":{{json}}}]""");

        var item = Assert.Single(result.Items);
        Assert.Equal([flag], item.Flags);
        Assert.Equal((null, null, null, null), (item.Year, item.RuntimeMinutes, item.ImdbRating, item.ImdbVotes));
        Assert.Equal(1, result.Report.Flagged);
    }

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
