using static MediaGateway.Tests.Catalog.CatalogFiles;

namespace MediaGateway.Tests.Catalog;

/// <summary>A record is a film or a series; any other kind rejects it, naming the allowed values.</summary>
public sealed class CatalogImportKindTests
{
    [Fact]
    public void Film_and_series_in_any_case_import_and_film_is_the_default()
    {
        var items = Import("""[{"title":"Alien","kind":"Film"},{"title":"Dark","type":" SERIES "},{"title":"Heat"}]""").Items;

        Assert.Equal(["film", "series", "film"], items.Select(i => i.Kind));
    }

    [Theory]
    [InlineData("movie")]
    [InlineData("episode")]
    [InlineData("42")]
    public void Any_other_kind_rejects_its_record_naming_the_allowed_values(string kind)
    {
        var result = Import($$"""[{"title":"Alien","kind":"{{kind}}"},{"title":"Heat"}]""");

        Assert.Equal("Heat", Assert.Single(result.Items).Title);
        Assert.Equal($"record 1: kind '{kind}' is not one of film, series", Assert.Single(result.Report.Rejected));
    }
}
