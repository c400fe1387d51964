using System.Text;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Pipeline;

namespace MediaGateway.Tests.Engine;

public sealed class CatalogImporterTests
{
    private static readonly FakeClock Today = new(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));

    private static CatalogImportResult Import(string text) =>
        new CatalogImporter(Today).Import(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Vega_movie_records_import_with_every_field_mapped()
    {
        var result = Import("""
            [{"Title":"Alien","Release Date":"May 25 1979","MPAA Rating":"R","Running Time min":117,"Source":"Original Screenplay",
              "Major Genre":"Horror","Creative Type":"Science Fiction","Director":"Ridley Scott","IMDB Rating":8.5,"IMDB Votes":230000}]
            """);

        var alien = Assert.Single(result.Items);
        Assert.Equal("alien-1979", alien.Id);
        Assert.Equal(1979, alien.Year);
        Assert.Equal(new DateOnly(1979, 5, 25), alien.ReleaseDate);
        Assert.Equal(["Horror"], alien.Genres);
        Assert.Equal(("Science Fiction", "Original Screenplay", "Ridley Scott", "R", 117), (alien.CreativeType, alien.Source, alien.Director, alien.MpaaRating, alien.RuntimeMinutes));
        Assert.Equal((8.5, 230000), (alien.ImdbRating, alien.ImdbVotes));
        Assert.Contains("Alien", alien.EmbeddingText);
        Assert.Contains("Ridley Scott", alien.EmbeddingText);
        Assert.Empty(alien.Flags);
    }

    [Fact]
    public void Every_other_fact_is_kept_as_a_typed_attribute_and_unknown_stays_unknown()
    {
        var result = Import("""
            [{"Title":"Titanic","Release Date":"Dec 19 1997","US Gross":600788188,"Worldwide Gross":1842879955,"US DVD Sales":null,
              "Production Budget":200000000,"Distributor":"Paramount Pictures","Rotten Tomatoes Rating":88,"IMDB Rating":7.4,
              "Country":"USA","Festival Premiere":"Nov 01 1997","Awards Won":11,"Tagline":"Nothing on Earth could come between them, not even the ship that sank under them."},
             {"Title":"Bathory","US Gross":0,"Worldwide Gross":3436763,"Production Budget":"15000000","Rotten Tomatoes Rating":140}]
            """);

        var titanic = result.Items[0];
        Assert.Equal(200_000_000d, titanic.NumberOf(CatalogAttributes.ProductionBudget));
        Assert.Equal(600_788_188d, titanic.NumberOf(CatalogAttributes.UsGross));
        Assert.Equal(1_842_879_955d, titanic.NumberOf(CatalogAttributes.WorldwideGross));
        Assert.Equal(88d, titanic.NumberOf(CatalogAttributes.RottenTomatoesRating));
        Assert.Equal("Paramount Pictures", titanic.TextOf(CatalogAttributes.Distributor));
        Assert.Equal(AttributeKind.Category, titanic.Attributes[CatalogAttributes.Distributor].Kind);
        Assert.False(titanic.Attributes.ContainsKey(CatalogAttributes.UsDvdSales)); // null → unknown, not 0
        // Undeclared fields: typed by their value, named in camelCase.
        Assert.Equal(AttributeValue.OfCategory("USA"), titanic.Attributes["country"]);
        Assert.Equal(AttributeValue.OfDate(new DateOnly(1997, 11, 1)), titanic.Attributes["festivalPremiere"]);
        Assert.Equal(AttributeValue.OfNumber(11), titanic.Attributes["awardsWon"]);
        Assert.Equal(AttributeKind.Text, titanic.Attributes["tagline"].Kind);
        // Fixed fields are not duplicated as attributes.
        Assert.False(titanic.Attributes.ContainsKey("imdbRating"));

        var bathory = result.Items[1];
        Assert.Null(bathory.NumberOf(CatalogAttributes.UsGross)); // a gross of 0 means "not known"
        Assert.Equal(15_000_000d, bathory.NumberOf(CatalogAttributes.ProductionBudget)); // numbers as strings are read
        Assert.Null(bathory.NumberOf(CatalogAttributes.RottenTomatoesRating)); // out of 0–100: dropped and flagged
        Assert.Contains(bathory.Flags, f => f.StartsWith("rottenTomatoesRatingOutOfRange"));
    }

    [Fact]
    public void The_demo_catalog_keeps_budget_grosses_critics_rating_and_distributor()
    {
        var items = new CatalogImporter(Today).ImportFile(EngineOptions.FindDemoCatalog()!).Items;

        Assert.True(items.Count(i => i.NumberOf(CatalogAttributes.ProductionBudget) is not null) > 3000);
        Assert.True(items.Count(i => i.NumberOf(CatalogAttributes.WorldwideGross) is not null) > 3000);
        Assert.True(items.Count(i => i.NumberOf(CatalogAttributes.RottenTomatoesRating) is not null) > 2000);
        Assert.True(items.Count(i => i.TextOf(CatalogAttributes.Distributor) is not null) > 2900);
        Assert.All(items, i => Assert.NotEqual(0d, i.NumberOf(CatalogAttributes.UsGross) ?? -1));
    }

    [Fact]
    public void Missing_values_stay_missing_rather_than_becoming_null_strings()
    {
        var item = Assert.Single(Import("""[{"Title":"X","Major Genre":null,"Director":"null","Source":"","MPAA Rating":"N/A"}]""").Items);

        Assert.Empty(item.Genres);
        Assert.Null(item.Director);
        Assert.Null(item.Source);
        Assert.Null(item.MpaaRating);
        Assert.DoesNotContain("null", item.EmbeddingText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Impossible_release_dates_are_flagged_and_dropped_but_the_item_is_kept()
    {
        var items = Import("""
            [{"Title":"Next year","Release Date":"Jan 01 2027"},{"Title":"Ancient","Release Date":"Jan 01 1066"},{"Title":"Fine","Release Date":"Jan 01 1999"}]
            """).Items;

        Assert.Equal(3, items.Count);
        Assert.All(items.Take(2), i => Assert.Null(i.Year));
        Assert.Contains(items[0].Flags, f => f.StartsWith("releaseDateImpossible"));
        Assert.Contains(items[1].Flags, f => f.StartsWith("releaseDateImpossible"));
        Assert.Equal(1999, items[2].Year);
    }

    [Fact]
    public void A_date_beyond_any_announced_release_is_a_two_digit_year_in_the_wrong_century()
    {
        // Today is 2026-11-29: 2046 is further ahead than releases are announced (AnnouncedYears), so it was 1946. A date
        // within that reach (Avatar 5, announced for December 2031) is a release to come or an error, no telling: dropped.
        // 2090 is no year a two-digit year is read as, so it is dropped too, not moved to 1990.
        var items = Import("""
            [{"Title":"The Best Years of Our Lives","Release Date":"Dec 25 2046"},{"Title":"Avatar 5","Release Date":"Dec 19 2031"},
             {"Title":"Far","Year":2090},{"Title":"Fine","Release Date":"Jan 01 1999"}]
            """).Items;

        Assert.Equal(1946, items[0].Year);
        Assert.Equal(new DateOnly(1946, 12, 25), items[0].ReleaseDate);
        Assert.Contains(items[0].Flags, f => f == "releaseDateCenturyCorrected: Dec 25 2046");
        Assert.Equal("the-best-years-of-our-lives-1946", items[0].Id);
        Assert.All(items.Skip(1).Take(2), i => Assert.Null(i.Year));
        Assert.All(items.Skip(1).Take(2), i => Assert.Contains(i.Flags, f => f.StartsWith("releaseDateImpossible")));
        Assert.Equal(1999, items[3].Year);
        Assert.Empty(items[3].Flags);
    }

    [Fact]
    public void A_thin_tail_of_20xx_years_past_the_files_own_releases_is_moved_back_a_century_whatever_the_date_today()
    {
        // Forty releases from 1990 to 2011, then, after empty years, 2016 and 2025: misdated 1916 and 1925 (the demo
        // catalog's Intolerance and The Big Parade). Today's date plays no part: the file's years show it.
        var body = Enumerable.Range(0, 40).Select(i => $$"""{"Title":"Film {{i}}","Release Date":"Jan 01 {{1990 + i % 22}}"}""");
        var json = "[" + string.Join(",", body) + """,{"Title":"Intolerance","Release Date":"Sep 05 2016"},{"Title":"The Big Parade","Release Date":"Nov 05 2025"}]""";

        foreach (var today in new[] { Today, new FakeClock(new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero)) })
        {
            var items = new CatalogImporter(today).Import(new MemoryStream(Encoding.UTF8.GetBytes(json))).Items;
            Assert.Equal(1916, items[^2].Year);
            Assert.Equal("the-big-parade-1925", items[^1].Id);
            Assert.Contains(items[^1].Flags, f => f == "releaseDateCenturyCorrected: Nov 05 2025");
            Assert.All(items.SkipLast(2), i => Assert.Empty(i.Flags));
        }
    }

    [Theory]
    [InlineData(new[] { 1990, 2011 }, null)] // too few years to tell
    [InlineData(new[] { 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021 }, null)] // no gap, no tail
    [InlineData(new[] { 1928, 1933, 1990, 1991, 1992, 1993, 1994, 1995, 1996, 1997, 1998, 1999, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2036 }, 2007)] // gaps in early years don't end the body
    [InlineData(new[] { 1990, 1991, 1992, 1993, 1994, 1995, 1996, 1997, 1998, 1999, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2030, 2031, 2032, 2033 }, null)] // a fifth of the file: part of it
    public void The_body_of_releases_ends_before_a_gap_and_a_thin_tail(int[] years, int? lastYearOfBody) =>
        Assert.Equal(lastYearOfBody, ReleaseYearEvidence.LastYearOfBody(years));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(99999)]
    public void A_year_no_calendar_holds_is_dropped_not_fatal(int year)
    {
        var item = Assert.Single(Import($$"""[{"Title":"X","Year":{{year}}}]""").Items);
        Assert.Null(item.Year);
        Assert.Contains(item.Flags, f => f.StartsWith("releaseDateImpossible"));
    }

    [Fact]
    public void Numeric_titles_are_text_and_untitled_records_are_rejected_with_a_reason()
    {
        var result = Import("""[{"Title":300,"Release Date":"Mar 09 2007"},{"Title":null}]""");

        Assert.Equal("300", Assert.Single(result.Items).Title);
        Assert.Equal("record 2: has no title", Assert.Single(result.Report.Rejected));
    }

    [Fact]
    public void Ids_are_stable_slugs_and_unique_even_for_same_title_and_year()
    {
        var items = Import("""[{"Title":"Amélie","year":2001},{"Title":"Amélie","year":2001},{"id":"own-id","Title":"Mine"}]""").Items;

        Assert.Equal(["amelie-2001", "amelie-2001-2", "own-id"], items.Select(i => i.Id));
    }

    [Fact]
    public void A_stated_id_used_twice_rejects_the_later_record_and_generated_ids_never_take_a_stated_one()
    {
        var result = Import("""[{"Title":"Amélie","year":2001},{"id":"dup-1","Title":"First"},{"id":"dup-1","Title":"Second"},{"id":"amelie-2001-2","Title":"Taken"},{"Title":"Amélie","year":2001}]""");

        Assert.Equal(["amelie-2001", "dup-1", "amelie-2001-2", "amelie-2001-3"], result.Items.Select(i => i.Id));
        Assert.Equal("First", result.Items[1].Title);
        Assert.Equal("record 3: id 'dup-1' is already used by an earlier record", Assert.Single(result.Report.Rejected));
    }

    [Theory]
    [InlineData("year", "\"nineteen\"", "yearUnreadable: nineteen")]
    [InlineData("Running Time min", "\"long\"", "runtimeMinutesUnreadable: long")]
    [InlineData("IMDB Rating", "[7]", "imdbRatingUnreadable: [7]")]
    [InlineData("imdbVotes", "true", "imdbVotesUnreadable: true")]
    [InlineData("IMDB Votes", "\"1,234\"", "imdbVotesUnreadable: 1,234")]    // not guessed at: "1,5" is 1.5 in much of Europe
    [InlineData("Running Time min", "\"1h 57m\"", "runtimeMinutesUnreadable: 1h 57m")]
    [InlineData("IMDB Rating", "\"NaN\"", "imdbRatingUnreadable: NaN")]
    [InlineData("IMDB Rating", "\"Infinity\"", "imdbRatingUnreadable: Infinity")]
    [InlineData("year", "1e400", "yearUnreadable: 1e400")]
    [InlineData("year", "1e10", "yearUnreadable: 1e10")]
    [InlineData("IMDB Votes", "-5", "imdbVotesImpossible: -5")]
    public void A_number_that_is_not_one_is_flagged_not_dropped_in_silence(string field, string json, string flag)
    {
        var result = Import($$"""[{"Title":"X","{{field}}":{{json}}}]""");

        var item = Assert.Single(result.Items);
        Assert.Equal([flag], item.Flags);
        Assert.Equal((null, null, null, null), (item.Year, item.RuntimeMinutes, item.ImdbRating, item.ImdbVotes));   // unknown, never 0
        Assert.Equal(1, result.Report.Flagged);
        // Absent, null, empty, "N/A" or "-" is unknown, not unreadable.
        Assert.Empty(Assert.Single(Import($$"""[{"Title":"X","{{field}}":null}]""").Items).Flags);
        Assert.Empty(Assert.Single(Import($$"""[{"Title":"X","{{field}}":""}]""").Items).Flags);
        Assert.Empty(Assert.Single(Import($$"""[{"Title":"X","{{field}}":"N/A"}]""").Items).Flags);
        Assert.Empty(Assert.Single(Import($$"""[{"Title":"X","{{field}}":"-"}]""").Items).Flags);
    }

    [Fact]
    public void Jsonl_in_the_canonical_schema_imports_and_bad_lines_are_reported()
    {
        var result = Import("""
            {"id":"b1","title":"Breaking Bad","kind":"series","year":2008,"genres":["Drama","Crime"],"runtimeMinutes":47,"imdbRating":9.5,"imdbVotes":2000000}
            this is not json
            {"title":"Dark","kind":"series","releaseDate":"2017-12-01","genres":["Thriller/Suspense"]}
            """);

        Assert.Equal(2, result.Items.Count);
        Assert.Equal(("series", 2008, 2), (result.Items[0].Kind, result.Items[0].Year, result.Items[0].Genres.Count));
        Assert.Equal(2017, result.Items[1].Year);
        Assert.Contains(result.Report.Rejected, r => r.StartsWith("line 2"));
        Assert.Equal(3, result.Report.Read);
    }

    [Fact]
    public void The_demo_catalog_imports_with_its_known_defects_handled()
    {
        var path = EngineOptions.FindDemoCatalog() ?? throw new InvalidOperationException("Run 'npm ci' first.");
        var result = new CatalogImporter(Today).ImportFile(path);

        Assert.Equal(3201, result.Report.Read);
        Assert.Equal(3200, result.Items.Count); // one record has no title
        Assert.Equal(result.Items.Count, result.Items.Select(i => i.Id).Distinct().Count());
        // The file's releases end in 2011; its 2015–2046 dates are two-digit years in the wrong century.
        Assert.All(result.Items, i => Assert.True(i.Year is null || i.Year <= 2011));
        Assert.Contains(result.Items, i => i.Title == "The Big Parade" && i.Year == 1925);
        Assert.Contains(result.Items, i => i.Title == "Wings" && i.Year == 1927);
        Assert.True(result.Report.Flagged > 0);
        Assert.Contains(result.Items, i => i.Title == "Star Wars Ep. IV: A New Hope" && i.Year == 1977);
    }

    private sealed class FakeClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
