using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Query;
using MediaGateway.Eval;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Engine;

[Collection(EngineCollection.Name)]
public sealed class SpellingCorrectorTests(EngineFixture fixture)
{
    private static CatalogItem Item(string title, string? director = null) =>
        new() { Id = title, Title = title, Director = director, EmbeddingText = title };

    private static readonly SpellingCorrector Corrector = new(
        [Item("The Terminator", "James Cameron"), Item("Jurassic Park", "Steven Spielberg"), Item("The Godfather"), Item("Alien"),
         Item("Monster"), Item("Stone"), Item("Mobsters")],
        ["science fiction", "romcom", "horror"]);

    [Theory]
    [InlineData("terminatr", "terminator")]    // a letter left out
    [InlineData("jurasic", "jurassic")]
    [InlineData("spielbreg", "spielberg")]     // two letters swapped
    [InlineData("godfahter", "godfather")]
    [InlineData("sceince", "science")]
    [InlineData("alein", "alien")]             // five letters: one edit allowed
    [InlineData("monstr", "monster")]
    [InlineData("terminaxor", "terminator")]   // eight letters or more: a changed letter counts too
    public void A_misspelt_catalog_word_is_corrected(string typed, string meant) =>
        Assert.Equal(meant, Corrector.Correct(typed));

    [Theory]
    [InlineData("alien")]          // a catalog word
    [InlineData("romcoms")]        // the plural of one
    [InlineData("aliens")]
    [InlineData("mobster")]        // the singular of one
    [InlineData("uplifting")]      // an English word the catalog lacks
    [InlineData("thrillers")]
    [InlineData("stoner")]         // a word that extends a catalog word is another word ("stone" is not meant)
    [InlineData("mondter")]        // below eight letters a changed letter is not a typo we correct ("mobster" ≠ "monster")
    [InlineData("alen")]           // under five letters: too often another word one edit away
    [InlineData("xerminator")]     // another first letter
    [InlineData("spielbxxxg")]     // too many edits
    [InlineData("1984")]
    [InlineData("subtitles")]      // the same word as a label's "subtitled" with another ending, not a typo of it
    [InlineData("cheapest")]       // a degree of a word, not a typo of another degree ("cheaper")
    public void Other_words_stand(string word) => Assert.Null(Corrector.Correct(word));

    [Fact]
    public void No_word_of_the_judged_queries_is_corrected()
    {
        // 112 queries written by hand, correctly spelt: a correction among them would be a false one.
        var judged = JudgedQuery.Load(JudgedQuery.DefaultPath(EngineFixture.RepositoryRoot));
        var corrected = judged.Select(q => (q.Query, Plan: fixture.Engine.Plan(new SearchRequest { Query = q.Query })))
            .Where(x => x.Plan.Interpretation.Any(r => r.Effect == QueryEffect.Spelling))
            .Select(x => $"{x.Query}: {string.Join(", ", x.Plan.Interpretation.Where(r => r.Effect == QueryEffect.Spelling).Select(r => $"{r.Phrase} → {r.ReadAs}"))}");
        Assert.Empty(corrected);
    }

    [Fact]
    public void A_misspelt_title_finds_the_title_and_says_how_it_was_read()
    {
        var plan = fixture.Engine.Plan(new SearchRequest { Query = "jurasic park" });
        Assert.Contains(plan.Interpretation, r => r.Phrase == "jurasic" && r.ReadAs == "spelled jurassic" && r.Effect == QueryEffect.Spelling);
        Assert.Contains(plan.Interpretation, r => r.Phrase == "jurassic park" && r.ReadAs == "title words");
        Assert.Equal("jurassic park", plan.EmbedText);
    }
}
