using MediaGateway.Contracts.Search;
using static MediaGateway.Tests.Catalog.CatalogFiles;

namespace MediaGateway.Tests.Catalog;

/// <summary>
/// Every imported id is one the HTTP API can address (<see cref="CatalogItemIds"/>, the rule requests are checked
/// with): a stated id that breaks it rejects its record, and an id generated from a title always keeps it.
/// </summary>
public sealed class CatalogImportIdTests
{
    public static TheoryData<string, string> Unaddressable => new()
    {
        { new string('a', SearchLimits.MaxItemIdLength + 1), $"must be at most {SearchLimits.MaxItemIdLength} characters" },
        { "a\\u0007b", "must not contain control characters" },
        { "films/alien", "must not contain '/', '\\', '?' or '#'" },
        { "alien?x=1", "must not contain '/', '\\', '?' or '#'" },
        { "alien#top", "must not contain '/', '\\', '?' or '#'" },
        { "a\\\\b", "must not contain '/', '\\', '?' or '#'" },
    };

    [Theory]
    [MemberData(nameof(Unaddressable))]
    public void A_stated_id_the_API_cannot_address_rejects_its_record(string id, string problem)
    {
        var result = Import($$"""[{"id":"{{id}}","title":"Alien"},{"id":"heat-1995","title":"Heat"}]""");

        Assert.Equal("heat-1995", Assert.Single(result.Items).Id);
        var rejected = Assert.Single(result.Report.Rejected);
        Assert.StartsWith("record 1: id '", rejected);
        Assert.EndsWith(problem, rejected);
    }

    [Fact]
    public void The_import_rule_is_the_API_rule()
    {
        foreach (var id in new[] { "films/alien", new string('a', SearchLimits.MaxItemIdLength + 1), "a\u0007b", " " })
        {
            var errors = new List<ValidationError>();
            SearchRequestValidator.ValidateItemId(errors, "id", id);
            Assert.Equal($"{CatalogItemIds.Problem(id)}.", Assert.Single(errors).Message);
        }
        Assert.Null(CatalogItemIds.Problem("tt0076759"));
    }

    [Fact]
    public void Ids_generated_from_long_or_odd_titles_keep_the_rule()
    {
        var longTitle = string.Concat(Enumerable.Repeat("The Longest Title Ever Written ", 15)).Trim();
        var result = Import($$"""[{"title":"{{longTitle}}","year":2001},{"title":"{{longTitle}}","year":2001},{"title":"a/b?c#d\\e"}]""");

        Assert.Equal(3, result.Items.Count);
        Assert.All(result.Items, i => Assert.Null(CatalogItemIds.Problem(i.Id)));
        Assert.EndsWith("-2001-2", result.Items[1].Id);
        Assert.Equal("a-b-c-d-e-undated", result.Items[2].Id);
    }
}
