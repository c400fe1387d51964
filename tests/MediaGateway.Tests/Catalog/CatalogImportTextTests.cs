using MediaGateway.Contracts;
using MediaGateway.Contracts.Imports;
using MediaGateway.Engine.Catalog;
using static MediaGateway.Tests.Catalog.CatalogFiles;

namespace MediaGateway.Tests.Catalog;

/// <summary>
/// Text fields lose control characters and bidirectional overrides and isolates (which can make shown text read
/// otherwise than it is) and are capped in length; each change is flagged on the item and counted in the report.
/// </summary>
public sealed class CatalogImportTextTests
{
    [Fact]
    public void Control_and_bidi_characters_are_removed_from_every_text_field_and_flagged()
    {
        var result = Import("""
            [{"title":"Al\u202Eien\u0007","description":"A crew\u2066 meets\u2069 a creature.","director":"Ridley\u0000 Scott",
              "genres":["Hor\u202Dror","Sci\u202AFi"],"Distributor":"20th\u202C Century Fox","tagline":"In space\u0008 no one can hear you scream."},
             {"title":"Heat","description":"Line one.\nLine two."}]
            """);

        var alien = result.Items[0];
        Assert.Equal(("Alien", "A crew meets a creature.", "Ridley Scott"), (alien.Title, alien.Description, alien.Director));
        Assert.Equal(["Horror", "SciFi"], alien.Genres);
        Assert.Equal("20th Century Fox", alien.TextOf(CatalogAttributes.Distributor));
        Assert.Equal("In space no one can hear you scream.", alien.TextOf("tagline"));
        Assert.Contains("titleControlCharactersRemoved: 2", alien.Flags);
        Assert.Contains("descriptionControlCharactersRemoved: 2", alien.Flags);
        Assert.Contains("genresControlCharactersRemoved: 2", alien.Flags);
        Assert.Contains("distributorControlCharactersRemoved: 1", alien.Flags);
        Assert.Contains("taglineControlCharactersRemoved: 1", alien.Flags);
        Assert.DoesNotContain(alien.EmbeddingText, c => char.IsControl(c) || SafeText.IsBidiControl(c));
        // A line break becomes a space: words are not run together.
        Assert.Equal("Line one. Line two.", result.Items[1].Description);
        Assert.Contains("descriptionControlCharactersRemoved: 1", result.Items[1].Flags);
        Assert.Equal(2, result.Report.Flagged);
    }

    [Fact]
    public void A_title_of_nothing_but_control_characters_is_no_title()
    {
        var result = Import("""[{"title":"\u202E\u0007"}]""");

        Assert.Equal("record 1: has no title", Assert.Single(result.Report.Rejected));
    }

    [Fact]
    public void Overlong_text_fields_are_truncated_and_flagged()
    {
        var title = new string('t', CatalogImportLimits.MaxTitleLength + 100);
        var description = new string('d', CatalogImportLimits.MaxLongTextLength + 1);
        var director = new string('r', CatalogImportLimits.MaxShortTextLength + 1);
        var result = Import($$"""[{"title":"{{title}}","description":"{{description}}","director":"{{director}}"}]""");

        var item = Assert.Single(result.Items);
        Assert.Equal(CatalogImportLimits.MaxTitleLength, item.Title.Length);
        Assert.Equal(CatalogImportLimits.MaxLongTextLength, item.Description!.Length);
        Assert.Equal(CatalogImportLimits.MaxShortTextLength, item.Director!.Length);
        Assert.Contains($"titleTruncated: {title.Length} characters, kept {CatalogImportLimits.MaxTitleLength}", item.Flags);
        Assert.Contains($"descriptionTruncated: {description.Length} characters, kept {CatalogImportLimits.MaxLongTextLength}", item.Flags);
        Assert.Contains($"directorTruncated: {director.Length} characters, kept {CatalogImportLimits.MaxShortTextLength}", item.Flags);
        Assert.Equal(1, result.Report.Flagged);
    }

    [Fact]
    public void Truncation_never_splits_a_surrogate_pair()
    {
        var title = new string('t', CatalogImportLimits.MaxTitleLength - 1) + "😀😀";
        var item = Assert.Single(Import($$"""[{"title":"{{title}}"}]""").Items);

        Assert.Equal(CatalogImportLimits.MaxTitleLength - 1, item.Title.Length);
        Assert.False(char.IsSurrogate(item.Title[^1]));
    }

    [Fact]
    public void Quoted_text_in_reports_and_logs_escapes_bidi_controls_too() =>
        Assert.Equal("ab\\u202ecd\\u0007", SafeText.Escape("ab\u202Ecd\u0007"));
}
