using MediaGateway.Contracts.Imports;
using MediaGateway.Engine.Catalog;
using static MediaGateway.Tests.Catalog.CatalogFiles;

namespace MediaGateway.Tests.Catalog;

/// <summary>
/// One bad record costs that record only: nested too deep, too large, not JSON or not an object, it is rejected with
/// its 1-based position and a reason in the operator's words (never .NET's exception text), and the others import.
/// </summary>
public sealed class CatalogImportRecordTests
{
    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    public static TheoryData<int> Depths => [CatalogImportLimits.MaxRecordDepth + 1, 100, 50_000];

    [Theory]
    [MemberData(nameof(Depths))]
    public void A_record_nested_too_deep_in_an_array_is_rejected_alone(int depth)
    {
        var result = Import($$"""[{"title":"Alien"},{"title":"Deep","extra":{{Nested(depth)}}},{"title":"Heat"}]""");

        Assert.Equal(["Alien", "Heat"], result.Items.Select(i => i.Title));
        Assert.Equal((3, 2), (result.Report.Read, result.Report.Imported));
        Assert.Equal($"record 2: is nested more than {CatalogImportLimits.MaxRecordDepth} levels deep (a record is an object of values and lists)", Assert.Single(result.Report.Rejected));
        Assert.Equal([0, 2], result.SourceRecords);
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void A_record_nested_too_deep_in_JSON_Lines_is_rejected_alone(int depth)
    {
        var result = Import($$"""
            {"title":"Alien"}
            {"title":"Deep","extra":{{Nested(depth)}}}
            {"title":"Heat"}
            """);

        Assert.Equal(["Alien", "Heat"], result.Items.Select(i => i.Title));
        Assert.StartsWith("line 2: is nested more than", Assert.Single(result.Report.Rejected));
    }

    [Fact]
    public void A_record_nested_as_deep_as_allowed_imports()
    {
        var result = Import($$"""[{"title":"Alien","extra":{{Nested(CatalogImportLimits.MaxRecordDepth - 1)}}}]""");

        Assert.Equal("Alien", Assert.Single(result.Items).Title);
    }

    [Fact]
    public void An_oversized_record_is_rejected_alone()
    {
        var huge = new string('x', CatalogImportLimits.MaxRecordBytes);
        var result = Import($$"""[{"title":"Alien"},{"title":"Huge","tagline":"{{huge}}"}]""");

        Assert.Equal("Alien", Assert.Single(result.Items).Title);
        Assert.Equal($"record 2: is larger than {CatalogImportLimits.MaxRecordBytes / 1024} KiB, the most a record may be", Assert.Single(result.Report.Rejected));
    }

    [Fact]
    public void Positions_are_1_based_and_reasons_carry_no_exception_text()
    {
        var array = Import("""[{"title":"Alien"},{"year":1990},42]""");
        Assert.Equal(["record 2: has no title", "record 3: is not a JSON object"], array.Report.Rejected);

        var lines = Import("""
            {"title":"Alien"}

            {"title": x}
            [1, 2]
            """);
        Assert.Equal(["line 3: is not valid JSON (the first error is at character 11 of the line)", "line 4: is not a JSON object"], lines.Report.Rejected);
        Assert.Equal(3, lines.Report.Read);
    }

    [Theory]
    [InlineData("""[{"title": "Half a film" """, "on line 1, at character 26")]
    [InlineData("[{\"title\":\"Alien\"},\n{\"title\": x}]", "on line 2, at character 11")]
    [InlineData("""[{"title":"Alien"}] trailing""", "on line 1, at character 21")]
    public void A_file_that_is_not_a_JSON_array_throws_in_the_operators_words(string file, string where)
    {
        var e = Assert.Throws<CatalogFileException>(() => Import(file));

        Assert.StartsWith("The file is not a valid JSON array", e.Message);
        Assert.Contains(where, e.Message);
        Assert.DoesNotContain("BytePosition", e.Message);
        Assert.DoesNotContain("LineNumber", e.Message);
    }
}
